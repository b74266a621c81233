import * as tf from '@tensorflow/tfjs';
import type { ConvParams, DenseParams } from './weights';

/** Pixel value of padding outside the image after normalization: black, (0 - 127.5) / 128. */
export const NORMALIZED_BLACK = -127.5 / 128;

/** Valid (unpadded) stride-1 convolution with bias, followed by PReLU when the layer has slopes. */
export function convolve(input: tf.Tensor4D, layer: ConvParams): tf.Tensor4D {
  return tf.fused.conv2d({
    x: input,
    filter: layer.filter,
    strides: 1,
    pad: 'valid',
    bias: layer.bias,
    activation: layer.alpha === undefined ? 'linear' : 'prelu',
    preluActivationWeights: layer.alpha,
  });
}

/** Dense layer with bias, followed by PReLU when the layer has slopes. */
export function dense(input: tf.Tensor2D, layer: DenseParams): tf.Tensor2D {
  return tf.fused.matMul({
    a: input,
    b: layer.weights,
    bias: layer.bias,
    activation: layer.alpha === undefined ? 'linear' : 'prelu',
    preluActivationWeights: layer.alpha,
  }) as tf.Tensor2D;
}

/** Converts face log-odds to a probability. */
export function toProbability(logOdds: number): number {
  return 1 / (1 + Math.exp(-logOdds));
}
