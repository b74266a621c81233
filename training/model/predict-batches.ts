import * as tf from '@tensorflow/tfjs';
import { FACE_SIZE } from '../../src/engine/classifier/alexnet';
import type { FaceDataset } from '../train-loop';
import type { LogisticRegression } from './fit-logistic-regression';

const FACE_BYTES = FACE_SIZE * FACE_SIZE;
/** Faces per inference batch; larger batches only cost memory on WASM. */
const PREDICT_BATCH_SIZE = 64;

/** Runs the model on every face of `dataset` (inference mode) and returns its outputs [n, k]. */
export async function predictOutputs(model: tf.LayersModel, dataset: FaceDataset): Promise<tf.Tensor2D> {
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < dataset.count; start += PREDICT_BATCH_SIZE) {
    const size = Math.min(PREDICT_BATCH_SIZE, dataset.count - start);
    const part = tf.tidy(() => {
      const bytes = dataset.images.subarray(start * FACE_BYTES, (start + size) * FACE_BYTES);
      const faces = tf.div(tf.tensor4d(Float32Array.from(bytes), [size, FACE_SIZE, FACE_SIZE, 1]), 255);
      return tf.reshape(model.predict(faces) as tf.Tensor, [size, -1]) as tf.Tensor2D;
    });
    parts.push(part);
  }
  const outputs = tf.concat(parts);
  tf.dispose(parts);
  return outputs;
}

/** Returns the fake probability per row of classifier outputs: the only column, or column 1 of a 2-way softmax. */
export async function scoreFaces(outputs: tf.Tensor2D): Promise<Float32Array> {
  const columns = outputs.shape[1];
  if (columns !== 1 && columns !== 2) {
    throw new Error(`scoreFaces: outputs have ${columns} columns; expected a sigmoid unit or a 2-way softmax`);
  }
  const fake = columns === 1 ? tf.reshape(outputs, [-1]) : tf.tidy(() => tf.reshape(tf.slice(outputs, [0, 1], [-1, 1]), [-1]));
  try {
    return Float32Array.from(await fake.data());
  } finally {
    fake.dispose();
  }
}

/** Returns a model that applies a fitted logistic regression to an embedding model's output. */
export function attachProbabilityHead(embeddingModel: tf.LayersModel, classifier: LogisticRegression): tf.LayersModel {
  const head = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'embedding_classifier' });
  const output = head.apply(embeddingModel.outputs[0]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: embeddingModel.inputs, outputs: output, name: `${embeddingModel.name}_classifier` });
  const weights = [tf.tensor2d(classifier.weights, [classifier.weights.length, 1]), tf.tensor1d([classifier.bias])];
  head.setWeights(weights);
  tf.dispose(weights);
  return model;
}
