import * as tf from '@tensorflow/tfjs';
import type { ModelFileReader } from '../types';

/** Weight manifest of the three networks, in face-api.js's format (a TF.js weights manifest). */
export const MTCNN_MANIFEST_PATH = 'mtcnn/mtcnn_model-weights_manifest.json';

/** Convolution kernel `[kh, kw, in, out]`, bias `[out]` and optional PReLU slopes `[out]`. */
export interface ConvParams {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  alpha?: tf.Tensor1D;
}

/** Dense layer weights `[in, out]`, bias `[out]` and optional PReLU slopes `[out]`. */
export interface DenseParams {
  weights: tf.Tensor2D;
  bias: tf.Tensor1D;
  alpha?: tf.Tensor1D;
}

export interface PNetParams {
  conv1: ConvParams;
  conv2: ConvParams;
  conv3: ConvParams;
  /**
   * 1x1 convolution to 5 channels: face log-odds, then the box regression `[dx1, dy1, dx2, dy2]`.
   * It merges the original two-logit classifier and the regression layer (see `mergeHeads`).
   */
  head: ConvParams;
}

export interface RNetParams {
  conv1: ConvParams;
  conv2: ConvParams;
  conv3: ConvParams;
  fc1: DenseParams;
  /** Dense layer to 5 outputs: face log-odds, then the box regression. */
  head: DenseParams;
}

export interface ONetParams {
  conv1: ConvParams;
  conv2: ConvParams;
  conv3: ConvParams;
  conv4: ConvParams;
  fc1: DenseParams;
  /**
   * Dense layer to 15 outputs: face log-odds, the box regression, then the landmarks
   * `[x0..x4, y0..y4]` as fractions of the box size.
   */
  head: DenseParams;
}

export interface MtcnnParams {
  pnet: PNetParams;
  rnet: RNetParams;
  onet: ONetParams;
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/**
 * Reads the manifest and its shards and rearranges the weights for plain row-major RGB input.
 *
 * The networks were trained in Caffe from MATLAB, which stores images column-major, so they
 * expect transposed RGB images (width first). Instead of transposing every image and crop,
 * this swaps the two spatial axes of every kernel and permutes the rows of each first dense
 * layer to match a height-first flatten. RGB, not BGR: on the six-face reference image all
 * O-Net scores are at least 0.9998 with RGB input and at most 0.9998 with BGR input.
 */
export async function loadMtcnnParams(readFile: ModelFileReader): Promise<MtcnnParams> {
  const manifest = await readManifest(readFile);
  const shards = await Promise.all(
    manifest.flatMap((group) => group.paths.map((path) => readFile(`mtcnn/${path}`))),
  );
  const specs = manifest.flatMap((group) => group.weights);
  const named = tf.io.decodeWeights(concatenateBuffers(shards), specs);

  let params: MtcnnParams | undefined;
  try {
    // Intermediate tensors of the rearrangement are freed by tidy; the results are kept.
    tf.tidy(() => {
      params = {
        pnet: {
          conv1: readConv(named, 'pnet/conv1', 'pnet/prelu1_alpha'),
          conv2: readConv(named, 'pnet/conv2', 'pnet/prelu2_alpha'),
          conv3: readConv(named, 'pnet/conv3', 'pnet/prelu3_alpha'),
          head: mergeConvHeads(readConv(named, 'pnet/conv4_1'), readConv(named, 'pnet/conv4_2')),
        },
        rnet: {
          conv1: readConv(named, 'rnet/conv1', 'rnet/prelu1_alpha'),
          conv2: readConv(named, 'rnet/conv2', 'rnet/prelu2_alpha'),
          conv3: readConv(named, 'rnet/conv3', 'rnet/prelu3_alpha'),
          fc1: readFlattenDense(named, 'rnet/fc1', 'rnet/prelu4_alpha', [3, 3, 64]),
          head: mergeHeads([readDense(named, 'rnet/fc2_1'), readDense(named, 'rnet/fc2_2')]),
        },
        onet: {
          conv1: readConv(named, 'onet/conv1', 'onet/prelu1_alpha'),
          conv2: readConv(named, 'onet/conv2', 'onet/prelu2_alpha'),
          conv3: readConv(named, 'onet/conv3', 'onet/prelu3_alpha'),
          conv4: readConv(named, 'onet/conv4', 'onet/prelu4_alpha'),
          fc1: readFlattenDense(named, 'onet/fc1', 'onet/prelu5_alpha', [3, 3, 128]),
          head: mergeHeads([
            readDense(named, 'onet/fc2_1'),
            readDense(named, 'onet/fc2_2'),
            readDense(named, 'onet/fc2_3'),
          ]),
        },
      };
    });
  } finally {
    tf.dispose(Object.values(named));
  }
  return params as MtcnnParams;
}

/** Disposes every tensor of the three networks. */
export function disposeMtcnnParams(params: MtcnnParams): void {
  const tensors: tf.Tensor[] = [];
  for (const network of [params.pnet, params.rnet, params.onet]) {
    for (const layer of Object.values(network) as Array<ConvParams | DenseParams>) {
      tensors.push(...Object.values(layer).filter((value): value is tf.Tensor => value instanceof tf.Tensor));
    }
  }
  tf.dispose(tensors);
}

async function readManifest(readFile: ModelFileReader): Promise<ManifestGroup[]> {
  const text = new TextDecoder().decode(await readFile(MTCNN_MANIFEST_PATH));
  const manifest = JSON.parse(text) as ManifestGroup[];
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new Error(`MTCNN: ${MTCNN_MANIFEST_PATH} is not a weights manifest. Expected a non-empty array of weight groups, so restore the file from models/mtcnn`);
  }
  return manifest;
}

function concatenateBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    joined.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return joined.buffer;
}

function requireTensor(named: tf.NamedTensorMap, name: string): tf.Tensor {
  const tensor = named[name];
  if (!tensor) {
    throw new Error(`MTCNN: weight ${name} is missing from ${MTCNN_MANIFEST_PATH}. Restore the MTCNN model files from models/mtcnn`);
  }
  return tensor;
}

function readConv(named: tf.NamedTensorMap, prefix: string, alphaName?: string): ConvParams {
  const filter = tf.transpose(requireTensor(named, `${prefix}/weights`) as tf.Tensor4D, [1, 0, 2, 3]);
  return {
    filter: tf.keep(filter),
    bias: tf.keep(requireTensor(named, `${prefix}/bias`).clone() as tf.Tensor1D),
    alpha: alphaName === undefined ? undefined : tf.keep(requireTensor(named, alphaName).clone() as tf.Tensor1D),
  };
}

function readDense(named: tf.NamedTensorMap, prefix: string, alphaName?: string): DenseParams {
  return {
    weights: tf.keep(requireTensor(named, `${prefix}/weights`).clone() as tf.Tensor2D),
    bias: tf.keep(requireTensor(named, `${prefix}/bias`).clone() as tf.Tensor1D),
    alpha: alphaName === undefined ? undefined : tf.keep(requireTensor(named, alphaName).clone() as tf.Tensor1D),
  };
}

/**
 * Joins a two-logit classifier `(no face, face)` and the other output layers into one dense
 * layer. Softmax over two logits gives `P(face) = sigmoid(face - noFace)`, so the classifier
 * becomes one output, the log-odds, with weights `w[:, 1] - w[:, 0]`. One layer instead of three
 * and no softmax saves backend ops, and the threshold test becomes a comparison on the CPU.
 */
function mergeHeads(layers: DenseParams[]): DenseParams {
  const [classifier, ...others] = layers;
  const [noFaceWeights, faceWeights] = tf.split(classifier.weights, 2, 1);
  const [noFaceBias, faceBias] = tf.split(classifier.bias, 2);
  const merged: DenseParams = {
    weights: tf.keep(tf.concat([tf.sub(faceWeights, noFaceWeights), ...others.map((layer) => layer.weights)], 1) as tf.Tensor2D),
    bias: tf.keep(tf.concat([tf.sub(faceBias, noFaceBias), ...others.map((layer) => layer.bias)]) as tf.Tensor1D),
  };
  tf.dispose(layers.flatMap((layer) => [layer.weights, layer.bias]));
  return merged;
}

/** Merges P-Net's 1x1 convolution heads like `mergeHeads`, treating each 1x1 kernel as a dense layer. */
function mergeConvHeads(classifier: ConvParams, regression: ConvParams): ConvParams {
  const asDense = (layer: ConvParams): DenseParams => ({
    weights: tf.reshape(layer.filter, [layer.filter.shape[2], layer.filter.shape[3]]),
    bias: layer.bias,
  });
  const merged = mergeHeads([asDense(classifier), asDense(regression)]);
  const [inputs, outputs] = merged.weights.shape;
  const filter = tf.keep(tf.reshape(merged.weights, [1, 1, inputs, outputs]) as tf.Tensor4D);
  tf.dispose([classifier.filter, regression.filter, merged.weights]);
  return { filter, bias: merged.bias };
}

/**
 * Reads a dense layer that follows a flatten of a `[width, height, channels]` feature map and
 * reorders its rows for a `[height, width, channels]` flatten.
 */
function readFlattenDense(
  named: tf.NamedTensorMap,
  prefix: string,
  alphaName: string,
  featureShape: [number, number, number],
): DenseParams {
  const dense = readDense(named, prefix, alphaName);
  const outputs = dense.weights.shape[1];
  const reordered = tf.reshape(
    tf.transpose(tf.reshape(dense.weights, [...featureShape, outputs]), [1, 0, 2, 3]),
    [featureShape[0] * featureShape[1] * featureShape[2], outputs],
  ) as tf.Tensor2D;
  dense.weights.dispose();
  return { ...dense, weights: tf.keep(reordered) };
}
