import * as tf from '@tensorflow/tfjs';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log, as Keras does (1e-7). */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * Mean binary cross-entropy of sigmoid outputs: -mean(y log p + (1 - y) log(1 - p)).
 * `labels` [n] or [n, 1] with 1 = fake, `probabilities` [n] or [n, 1] in [0, 1]. Returns a scalar.
 */
export function binaryCrossEntropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.reshape(labels, [-1]).toFloat();
    const p = tf.clipByValue(tf.reshape(probabilities, [-1]), PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
    if (y.shape[0] !== p.shape[0]) {
      throw new Error(`binaryCrossEntropy: ${y.shape[0]} labels for ${p.shape[0]} predictions; pass one label per prediction`);
    }
    const perSample = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(perSample)) as tf.Scalar;
  });
}
