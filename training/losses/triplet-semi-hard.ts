import * as tf from '@tensorflow/tfjs';
import { pairwiseDistance } from './pairwise-distance';

/** Class of the anchors (and positives) of the triplet loss. */
export type TripletAnchors = 'real' | 'both';

/** Options of the semi-hard triplet loss. */
export interface TripletOptions {
  /** Required gap between the anchor-negative and the anchor-positive distance, in embedding
   * units (unit-norm embeddings lie 0 to 2 apart). Default 1, as TensorFlow Addons. */
  margin?: number;
  /**
   * `real`: anchor and positive are real faces and the negative is a fake, so real faces are
   * pulled together and fakes pushed away from them. `both`: anchors of either class with a
   * positive of the same class and a negative of the other (TensorFlow Addons). Default `real`.
   */
  anchors?: TripletAnchors;
}

export const DEFAULT_TRIPLET_MARGIN = 1;
const DEFAULT_ANCHORS: TripletAnchors = 'real';
/** Stand-in distance for masked-out entries; far above any distance of unit-norm embeddings. */
const FAR = 1e6;

/**
 * Semi-hard triplet loss with online mining inside the batch (Schroff, Kalenichenko and
 * Philbin 2015, FaceNet; the mining rule of TensorFlow Addons' `triplet_semihard_loss`).
 *
 * For every anchor-positive pair (a, p), the negative is the closest negative n that is still
 * farther from a than p is (semi-hard: d(a,p) < d(a,n)). When a pair has no such negative, the
 * farthest negative of a is used instead. Each pair costs max(margin + d(a,p) - d(a,n), 0) with
 * Euclidean d, and the loss is the mean over pairs. A batch without an anchor-positive pair, or
 * without a negative, costs 0. `labels` [n] 0/1 (1 = fake), `embeddings` [n, d].
 */
export function tripletSemiHardLoss(labels: tf.Tensor, embeddings: tf.Tensor2D, options: TripletOptions = {}): tf.Scalar {
  const margin = options.margin ?? DEFAULT_TRIPLET_MARGIN;
  const anchors = options.anchors ?? DEFAULT_ANCHORS;
  return tf.tidy(() => {
    const count = embeddings.shape[0];
    const y = tf.reshape(labels, [-1, 1]).toFloat();
    const same = tf.sub(1, tf.abs(tf.sub(y, tf.transpose(y))));
    const anchorRows = anchors === 'real' ? tf.sub(1, y) : tf.onesLike(y);
    const positiveMask = tf.mul(tf.mul(same, tf.sub(1, tf.eye(count))), anchorRows);
    const negativeMask = tf.sub(1, same);

    const distance = pairwiseDistance(embeddings);
    // [a, p, n] layout: d(a, n) against d(a, p).
    const anchorNegative = tf.expandDims(distance, 1);
    const anchorPositive = tf.expandDims(distance, 2);
    const negativeOfAnchor = tf.expandDims(negativeMask, 1);
    // Masks use step(x) = (x > 0 ? 1 : 0) instead of tf.greater, because tf.js has a (zero)
    // gradient for Step but none for Greater, and the masks sit on the gradient path.
    const isSemiHard = tf.mul(negativeOfAnchor, tf.step(tf.sub(anchorNegative, anchorPositive)));
    const semiHardDistance = tf.min(tf.where(tf.cast(isSemiHard, 'bool'), tf.broadcastTo(anchorNegative, [count, count, count]), tf.fill([count, count, count], FAR)), 2);
    const hasSemiHard = tf.cast(tf.step(tf.sum(isSemiHard, 2)), 'bool');
    const farthestNegative = tf.max(tf.where(tf.cast(negativeMask, 'bool'), distance, tf.fill([count, count], -FAR)), 1, true);
    const negativeDistance = tf.where(hasSemiHard, semiHardDistance, tf.broadcastTo(farthestNegative, [count, count]));

    const hasNegative = tf.step(tf.sum(negativeMask, 1, true));
    const tripletMask = tf.mul(positiveMask, hasNegative);
    const perPair = tf.relu(tf.add(tf.sub(distance, negativeDistance), margin));
    const pairCount = tf.maximum(tf.sum(tripletMask), 1);
    return tf.div(tf.sum(tf.mul(perPair, tripletMask)), pairCount) as tf.Scalar;
  });
}
