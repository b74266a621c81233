import type * as tf from '@tensorflow/tfjs';
import type { LossName } from '../../src/engine/classifier/loss-name';
import { binaryCrossEntropy } from './binary-cross-entropy';
import { contrastiveLoss, type ContrastiveOptions } from './contrastive';
import { sparseCategoricalCrossEntropy } from './sparse-categorical-cross-entropy';
import { tripletSemiHardLoss, type TripletOptions } from './triplet-semi-hard';

export { binaryCrossEntropy, PROBABILITY_EPSILON } from './binary-cross-entropy';
export { sparseCategoricalCrossEntropy } from './sparse-categorical-cross-entropy';
export { tripletSemiHardLoss, DEFAULT_TRIPLET_MARGIN, type TripletOptions, type TripletAnchors } from './triplet-semi-hard';
export { contrastiveLoss, DEFAULT_CONTRASTIVE_MARGIN, type ContrastiveOptions } from './contrastive';
export { pairwiseDistance, pairwiseSquaredDistance } from './pairwise-distance';

/** Loss of one batch: `labels` [n] 0/1 (1 = fake) and the model's output for the batch. */
export type BatchLoss = (labels: tf.Tensor1D, outputs: tf.Tensor) => tf.Scalar;

/** Options of the embedding losses; the classification losses take none. */
export interface LossOptions {
  triplet?: TripletOptions;
  contrastive?: ContrastiveOptions;
}

/** Returns the batch loss for a loss name, matched to the output of `buildAlexNet` with that head. */
export function lossFunctionFor(name: LossName, options: LossOptions = {}): BatchLoss {
  switch (name) {
    case 'bce':
      return (labels, outputs) => binaryCrossEntropy(labels, outputs);
    case 'sparse-cce':
      return (labels, outputs) => sparseCategoricalCrossEntropy(labels, outputs as tf.Tensor2D);
    case 'triplet':
      return (labels, outputs) => tripletSemiHardLoss(labels, outputs as tf.Tensor2D, options.triplet);
    case 'contrastive':
      return (labels, outputs) => contrastiveLoss(labels, outputs as tf.Tensor2D, options.contrastive);
  }
}
