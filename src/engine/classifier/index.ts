export { buildAlexNet, EMBEDDING_LAYER_NAME, EMBEDDING_SIZE, FACE_SIZE, type AlexNetOptions } from './alexnet';
export { L2Normalize } from './l2-normalize-layer';
export { calibrate, loadClassifier, type Classifier } from './load-classifier';
export { isEmbeddingLoss, LOSS_NAMES, type HeadName, type LossName } from './loss-name';
export type { ModelCard, ModelCardDataset, ModelCardMetrics, ModelCardSplit } from './model-card';
