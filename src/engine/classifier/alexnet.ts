import * as tf from '@tensorflow/tfjs';
import { L2Normalize } from './l2-normalize-layer';
import type { HeadName } from './loss-name';

/** Input side of the classifier in pixels: one aligned grey face, values in [0, 1]. */
export const FACE_SIZE = 128;
/** Length of the flattened output of the last pooling layer (2 x 2 x 128), used as embedding. */
export const EMBEDDING_SIZE = 512;
/** Name of the flatten layer, so training code can cut the backbone at the embedding. */
export const EMBEDDING_LAYER_NAME = 'embedding';

export interface AlexNetOptions {
  /** Output head: `bce` one sigmoid unit, `sparse-cce` 2-way softmax, `paper-5way` 5-way
   * softmax, `triplet` and `contrastive` the L2-normalised 512-d embedding. */
  head: HeadName;
  /** Dropout rate after the 128-unit dense layer, 0 to 1. Default 0 (no dropout layer). */
  dropout?: number;
  /** Seed of the Glorot-uniform initialisers; layer i uses seed + i. Default: unseeded. Dropout
   * masks are never seeded. */
  seed?: number;
}

const DEFAULT_DROPOUT = 0;
const HIDDEN_UNITS = 128;

/**
 * Builds the light AlexNet of the face classifier. Three valid 5x5 convolutions (32, 64 and 128
 * filters) are each followed by ReLU and a 3x3 max-pool with stride 3. A 512-d flatten follows,
 * then a dense 128 + ReLU (+ dropout) and the head. For a 128x128x1 input the spatial sizes are
 * 124 -> 41 -> 37 -> 12 -> 8 -> 2, so the flatten has 2 x 2 x 128 = 512 values. With the
 * `paper-5way` head, the 5-way softmax of the published Keras summary, the model has 323,333
 * parameters.
 */
export function buildAlexNet(options: AlexNetOptions): tf.LayersModel {
  const dropout = options.dropout ?? DEFAULT_DROPOUT;
  if (dropout < 0 || dropout >= 1) {
    throw new Error(`buildAlexNet: dropout ${dropout} is outside [0, 1); pass a rate such as 0.5`);
  }
  let layerIndex = 0;
  const initializer = (): ReturnType<typeof tf.initializers.glorotUniform> =>
    tf.initializers.glorotUniform({ seed: options.seed === undefined ? undefined : options.seed + layerIndex++ });

  const input = tf.input({ shape: [FACE_SIZE, FACE_SIZE, 1], name: 'face' });
  let x: tf.SymbolicTensor = input;
  for (const [index, filters] of [32, 64, 128].entries()) {
    x = tf.layers
      .conv2d({ filters, kernelSize: 5, padding: 'valid', activation: 'relu', kernelInitializer: initializer(), name: `conv${index + 1}` })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 3, strides: 3, padding: 'valid', name: `pool${index + 1}` }).apply(x) as tf.SymbolicTensor;
  }
  const embedding = tf.layers.flatten({ name: EMBEDDING_LAYER_NAME }).apply(x) as tf.SymbolicTensor;

  if (options.head === 'triplet' || options.head === 'contrastive') {
    const normalised = new L2Normalize({ name: 'l2_normalize' }).apply(embedding) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: normalised, name: `alexnet_${options.head}` });
  }

  let hidden = tf.layers
    .dense({ units: HIDDEN_UNITS, activation: 'relu', kernelInitializer: initializer(), name: 'dense1' })
    .apply(embedding) as tf.SymbolicTensor;
  if (dropout > 0) {
    // NOTE: no seed here. tf.dropout draws its mask with randomUniform, which restarts the
    // generator from a given seed on every call, so a seeded layer drops the same units each step.
    hidden = tf.layers.dropout({ rate: dropout, name: 'dropout' }).apply(hidden) as tf.SymbolicTensor;
  }
  const output = buildHead(options.head, initializer()).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: `alexnet_${options.head.replace('-', '_')}` });
}

function buildHead(head: 'bce' | 'sparse-cce' | 'paper-5way', kernelInitializer: ReturnType<typeof tf.initializers.glorotUniform>): tf.layers.Layer {
  switch (head) {
    case 'bce':
      return tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer, name: 'head' });
    case 'sparse-cce':
      return tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer, name: 'head' });
    case 'paper-5way':
      return tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer, name: 'head' });
  }
}
