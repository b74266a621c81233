import * as tf from '@tensorflow/tfjs';
import { pairwiseDistance, pairwiseSquaredDistance } from './pairwise-distance';

/** Options of the contrastive loss. */
export interface ContrastiveOptions {
  /** Distance below which a pair of different classes is penalised, in embedding units (unit-norm
   * embeddings lie 0 to 2 apart). Default 1. */
  margin?: number;
}

export const DEFAULT_CONTRASTIVE_MARGIN = 1;

/**
 * Contrastive loss (Hadsell, Chopra and LeCun 2006) over every pair i < j of the batch:
 * same-class pairs cost d^2, different-class pairs max(margin - d, 0)^2, with d the Euclidean
 * distance; the result is the mean over pairs. `labels` [n] 0/1, `embeddings` [n, d]. A batch
 * of fewer than two samples has no pairs and costs 0.
 */
export function contrastiveLoss(labels: tf.Tensor, embeddings: tf.Tensor2D, options: ContrastiveOptions = {}): tf.Scalar {
  const margin = options.margin ?? DEFAULT_CONTRASTIVE_MARGIN;
  return tf.tidy(() => {
    const count = embeddings.shape[0];
    if (count < 2) {
      return tf.mul(tf.sum(embeddings), 0) as tf.Scalar;
    }
    const y = tf.reshape(labels, [-1, 1]).toFloat();
    const same = tf.sub(1, tf.abs(tf.sub(y, tf.transpose(y))));
    // Upper triangle without the diagonal: each unordered pair once.
    const pairMask = tf.sub(tf.linalg.bandPart(tf.ones([count, count]), 0, -1), tf.eye(count));

    const squared = pairwiseSquaredDistance(embeddings);
    const distance = pairwiseDistance(embeddings);
    const separation = tf.square(tf.relu(tf.sub(margin, distance)));
    const perPair = tf.add(tf.mul(same, squared), tf.mul(tf.sub(1, same), separation));
    const pairs = (count * (count - 1)) / 2;
    return tf.div(tf.sum(tf.mul(perPair, pairMask)), pairs) as tf.Scalar;
  });
}
