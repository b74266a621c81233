export { type MtcnnConfig, DEFAULT_MTCNN_CONFIG, resolveMtcnnConfig } from './config';
export { type Mtcnn, createMtcnn } from './detector';
