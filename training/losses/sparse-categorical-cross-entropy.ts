import * as tf from '@tensorflow/tfjs';
import { PROBABILITY_EPSILON } from './binary-cross-entropy';

/**
 * Mean sparse categorical cross-entropy of softmax outputs: -mean(log p[i, label_i]).
 * `labels` [n] class indices (0 = real, 1 = fake for the 2-way head), `probabilities` [n, k]
 * rows summing to 1. Probabilities are clipped like Keras before the log. Returns a scalar.
 */
export function sparseCategoricalCrossEntropy(labels: tf.Tensor, probabilities: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [count, classes] = probabilities.shape;
    const y = tf.reshape(labels, [-1]).toInt();
    if (y.shape[0] !== count) {
      throw new Error(`sparseCategoricalCrossEntropy: ${y.shape[0]} labels for ${count} predictions; pass one label per row`);
    }
    const oneHot = tf.oneHot(y, classes).toFloat();
    const picked = tf.sum(tf.mul(oneHot, tf.clipByValue(probabilities, PROBABILITY_EPSILON, 1)), 1);
    return tf.neg(tf.mean(tf.log(picked))) as tf.Scalar;
  });
}
