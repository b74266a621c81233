import * as tf from '@tensorflow/tfjs';

/** A logistic regression on embeddings: p(fake) = sigmoid(x . weights + bias). */
export interface LogisticRegression {
  weights: Float32Array;
  bias: number;
}

export interface LogisticRegressionOptions {
  /** Full-batch Adam steps. Default 300. */
  iterations?: number;
  /** Adam learning rate. Default 0.05. */
  learningRate?: number;
  /** L2 penalty on the weights (not the bias), added to the mean cross-entropy. Default 1e-4. */
  l2?: number;
}

const DEFAULT_ITERATIONS = 300;
const DEFAULT_LEARNING_RATE = 0.05;
const DEFAULT_L2 = 1e-4;

/**
 * Fits a logistic regression to `features` [n, d] and 0/1 `labels` [n] by full-batch Adam on
 * the L2-penalised mean cross-entropy. Used to turn a trained embedding into a fake probability.
 */
export async function fitLogisticRegression(features: tf.Tensor2D, labels: Uint8Array, options: LogisticRegressionOptions = {}): Promise<LogisticRegression> {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  const l2 = options.l2 ?? DEFAULT_L2;
  const dimension = features.shape[1];
  if (labels.length !== features.shape[0]) {
    throw new Error(`fitLogisticRegression: ${labels.length} labels for ${features.shape[0]} rows; pass one label per row`);
  }
  const weights = tf.variable(tf.zeros([dimension, 1]));
  const bias = tf.variable(tf.zeros([1]));
  const y = tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
  const optimizer = tf.train.adam(options.learningRate ?? DEFAULT_LEARNING_RATE);
  try {
    for (let step = 0; step < iterations; step++) {
      optimizer.minimize(() => {
        const logits = tf.add(tf.matMul(features, weights), bias);
        const crossEntropy = tf.losses.sigmoidCrossEntropy(y, logits);
        return tf.add(crossEntropy, tf.mul(l2, tf.sum(tf.square(weights)))) as tf.Scalar;
      });
    }
    return { weights: (await weights.data()) as Float32Array, bias: (await bias.data())[0] };
  } finally {
    optimizer.dispose();
    tf.dispose([weights, bias, y]);
  }
}
