import * as tf from '@tensorflow/tfjs';

/** Small constant under the square root so a zero embedding maps to zero, not NaN. */
const NORM_EPSILON = 1e-12;

/**
 * Scales each row of a [batch, features] tensor to unit L2 norm. Embedding models end in this
 * layer, so the triplet and contrastive margins are distances on the unit sphere (0..2).
 */
export class L2Normalize extends tf.layers.Layer {
  static readonly className = 'L2Normalize';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const squaredNorm = tf.sum(tf.square(x), -1, true);
      return tf.mul(x, tf.rsqrt(tf.maximum(squaredNorm, NORM_EPSILON)));
    });
  }

  override getClassName(): string {
    return L2Normalize.className;
  }
}

tf.serialization.registerClass(L2Normalize);
