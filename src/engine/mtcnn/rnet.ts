import * as tf from '@tensorflow/tfjs';
import { type Candidate, applyRegression, squareBox, suppressOverlaps } from './candidate';
import { runOnCandidateCrops } from './crop';
import type { RgbFloatImage } from './resize';
import { convolve, dense, toProbability } from './layers';
import type { RNetParams } from './weights';

/** R-Net input side in pixels. */
export const RNET_INPUT_SIZE = 24;
/** IoU above which R-Net candidates are merged (original MTCNN value). */
const RNET_IOU_THRESHOLD = 0.7;
/** Values per candidate in the read-back: face log-odds and four regression offsets. */
const RNET_VALUES = 5;

/** Runs R-Net on crops `[N, 24, 24, 3]` and returns `[N, 5]`: face log-odds and box regression. */
export function runRNet(crops: tf.Tensor4D, params: RNetParams): tf.Tensor2D {
  return tf.tidy(() => {
    let features = convolve(crops, params.conv1);
    features = tf.maxPool(features, 3, 2, 'same');
    features = convolve(features, params.conv2);
    features = tf.maxPool(features, 3, 2, 'valid');
    features = convolve(features, params.conv3);
    const flat = tf.reshape(features, [features.shape[0], -1]) as tf.Tensor2D;
    return dense(dense(flat, params.fc1), params.head);
  });
}

/**
 * Stage 2: rescores the P-Net candidates with R-Net in one batch and returns the survivors,
 * regressed and squared for O-Net.
 */
export async function refineCandidates(
  image: RgbFloatImage,
  candidates: Candidate[],
  params: RNetParams,
  scoreThreshold: number,
): Promise<Candidate[]> {
  if (candidates.length === 0) {
    return [];
  }
  const values = await runOnCandidateCrops(image, candidates, RNET_INPUT_SIZE, (batch) => runRNet(batch, params));

  const passed: Candidate[] = [];
  candidates.forEach((candidate, i) => {
    const base = i * RNET_VALUES;
    const score = toProbability(values[base]);
    if (score < scoreThreshold) {
      return;
    }
    passed.push({
      ...candidate,
      score,
      regression: [values[base + 1], values[base + 2], values[base + 3], values[base + 4]],
    });
  });
  return suppressOverlaps(passed, RNET_IOU_THRESHOLD, 'union').map((candidate) =>
    squareBox(applyRegression(candidate)),
  );
}
