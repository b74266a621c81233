import * as tf from '@tensorflow/tfjs';

/**
 * Floor of squared distances before the square root, so the gradient stays finite for
 * coincident embeddings (d sqrt(x)/dx is infinite at 0). Distances below 1e-8 read as 1e-8.
 */
const SQUARED_DISTANCE_FLOOR = 1e-16;

/** Returns the squared Euclidean distances between rows of `embeddings` [n, d], as [n, n]. */
export function pairwiseSquaredDistance(embeddings: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(embeddings), 1, true);
    const dot = tf.matMul(embeddings, embeddings, false, true);
    const squared = tf.sub(tf.add(squaredNorms, tf.transpose(squaredNorms)), tf.mul(2, dot));
    return tf.relu(squared) as tf.Tensor2D;
  });
}

/** Returns the Euclidean distances between rows of `embeddings` [n, d], as [n, n]. */
export function pairwiseDistance(embeddings: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sqrt(tf.maximum(pairwiseSquaredDistance(embeddings), SQUARED_DISTANCE_FLOOR)) as tf.Tensor2D);
}
