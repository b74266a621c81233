import * as tf from '@tensorflow/tfjs';
import type { DetectedFace, Landmarks, Point } from '../types';
import { type Candidate, applyRegression, squareBox, suppressOverlaps } from './candidate';
import { runOnCandidateCrops } from './crop';
import type { RgbFloatImage } from './resize';
import { convolve, dense, toProbability } from './layers';
import type { ONetParams } from './weights';

/** O-Net input side in pixels. */
export const ONET_INPUT_SIZE = 48;
/** Overlap (intersection over the smaller box) above which O-Net faces are merged (original MTCNN value). */
const ONET_OVERLAP_THRESHOLD = 0.7;
/** Values per candidate in the read-back: face log-odds, four regression offsets, five x then five y. */
const ONET_VALUES = 15;

/** Runs O-Net on crops `[N, 48, 48, 3]` and returns `[N, 15]`: face log-odds, box regression, landmarks. */
export function runONet(crops: tf.Tensor4D, params: ONetParams): tf.Tensor2D {
  return tf.tidy(() => {
    let features = convolve(crops, params.conv1);
    features = tf.maxPool(features, 3, 2, 'same');
    features = convolve(features, params.conv2);
    features = tf.maxPool(features, 3, 2, 'valid');
    features = convolve(features, params.conv3);
    features = tf.maxPool(features, 2, 2, 'same');
    features = convolve(features, params.conv4);
    const flat = tf.reshape(features, [features.shape[0], -1]) as tf.Tensor2D;
    return dense(dense(flat, params.fc1), params.head);
  });
}

interface ScoredLandmarks extends Candidate {
  landmarks: Landmarks;
}

/**
 * Stage 3: scores the R-Net candidates with O-Net in one batch and returns the final faces
 * with square boxes and landmarks, highest score first. O-Net predicts landmarks relative to
 * the box it saw, so they are placed before the box regression moves it, as in the original
 * MTCNN. face-api.js places them in the regressed box instead.
 */
export async function finalizeCandidates(
  image: RgbFloatImage,
  candidates: Candidate[],
  params: ONetParams,
  scoreThreshold: number,
): Promise<DetectedFace[]> {
  if (candidates.length === 0) {
    return [];
  }
  const values = await runOnCandidateCrops(image, candidates, ONET_INPUT_SIZE, (batch) => runONet(batch, params));

  const passed: ScoredLandmarks[] = [];
  candidates.forEach((candidate, i) => {
    const base = i * ONET_VALUES;
    const score = toProbability(values[base]);
    if (score < scoreThreshold) {
      return;
    }
    const width = candidate.x2 - candidate.x1;
    const height = candidate.y2 - candidate.y1;
    const points: Point[] = [];
    for (let k = 0; k < 5; k++) {
      points.push([candidate.x1 + values[base + 5 + k] * width, candidate.y1 + values[base + 10 + k] * height]);
    }
    const regressed = applyRegression({
      ...candidate,
      score,
      regression: [values[base + 1], values[base + 2], values[base + 3], values[base + 4]],
    });
    passed.push({ ...regressed, landmarks: points as Landmarks });
  });

  const kept = suppressOverlaps(passed, ONET_OVERLAP_THRESHOLD, 'min') as ScoredLandmarks[];
  return kept.map((face) => {
    // Square like face-api.js's output, so that a crop of the box keeps the face's aspect ratio.
    const square = squareBox(face);
    return {
      box: { x: square.x1, y: square.y1, width: square.x2 - square.x1, height: square.y2 - square.y1 },
      landmarks: face.landmarks,
      score: face.score,
    };
  });
}
