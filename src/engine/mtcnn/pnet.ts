import * as tf from '@tensorflow/tfjs';
import { type Candidate, applyRegression, squareBox, suppressOverlaps } from './candidate';
import { convolve, toProbability } from './layers';
import { PNET_CELL_SIZE, PNET_CELL_STRIDE, type PyramidLevel } from './pyramid';
import { type RgbFloatImage, resizeRgbBilinear } from './resize';
import type { PNetParams } from './weights';

/** Values per P-Net output cell in the read-back: face log-odds and four regression offsets. */
const PNET_CELL_VALUES = 5;
/** IoU above which P-Net candidates of one pyramid level are merged (original MTCNN value). */
const LEVEL_IOU_THRESHOLD = 0.5;
/** IoU above which candidates from all levels are merged (original MTCNN value). */
const CROSS_LEVEL_IOU_THRESHOLD = 0.7;

/**
 * Runs the fully convolutional P-Net on a normalized image `[1, h, w, 3]` and returns
 * `[1, h', w', 5]`: face log-odds and box regression per 12x12 window at stride 2.
 */
export function runPNet(input: tf.Tensor4D, params: PNetParams): tf.Tensor4D {
  return tf.tidy(() => {
    let features = convolve(input, params.conv1);
    features = tf.maxPool(features, 2, 2, 'same');
    features = convolve(features, params.conv2);
    features = convolve(features, params.conv3);
    return convolve(features, params.head);
  });
}

/**
 * Stage 1: scans every pyramid level of a normalized RGB image with P-Net and returns square
 * candidate boxes in image pixels. All levels go to the backend before the single read-back.
 */
export async function proposeCandidates(
  image: RgbFloatImage,
  levels: PyramidLevel[],
  params: PNetParams,
  scoreThreshold: number,
): Promise<Candidate[]> {
  if (levels.length === 0) {
    return [];
  }
  // Every level is resized from the full image. Resizing each level from the previous one
  // blurs more, found 290 instead of 285 of 300 DFDC face crops, but moved boxes on the
  // six-face reference image up to 11.6 px from the expected ones.
  const levelImages = levels.map((level) => resizeRgbBilinear(image, level.width, level.height));
  const outputs = tf.tidy(() =>
    tf.concat(
      levelImages.map((levelImage) => {
        const input = tf.tensor4d(levelImage.data, [1, levelImage.height, levelImage.width, 3]);
        return tf.reshape(runPNet(input, params), [-1]);
      }),
    ),
  );
  let values: Float32Array;
  try {
    values = (await outputs.data()) as Float32Array;
  } finally {
    outputs.dispose();
  }

  const merged: Candidate[] = [];
  let offset = 0;
  for (const level of levels) {
    const levelCandidates = readLevelCandidates(values, offset, level, scoreThreshold);
    merged.push(...suppressOverlaps(levelCandidates, LEVEL_IOU_THRESHOLD, 'union'));
    offset += level.outputWidth * level.outputHeight * PNET_CELL_VALUES;
  }
  return suppressOverlaps(merged, CROSS_LEVEL_IOU_THRESHOLD, 'union').map((candidate) =>
    squareBox(applyRegression(candidate)),
  );
}

/** Turns the cells of one level that pass the threshold into candidates in image pixels. */
function readLevelCandidates(
  values: Float32Array,
  offset: number,
  level: PyramidLevel,
  scoreThreshold: number,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (let row = 0; row < level.outputHeight; row++) {
    for (let column = 0; column < level.outputWidth; column++) {
      const index = offset + (row * level.outputWidth + column) * PNET_CELL_VALUES;
      const score = toProbability(values[index]);
      if (score < scoreThreshold) {
        continue;
      }
      candidates.push({
        x1: (column * PNET_CELL_STRIDE) / level.scaleX,
        y1: (row * PNET_CELL_STRIDE) / level.scaleY,
        x2: (column * PNET_CELL_STRIDE + PNET_CELL_SIZE) / level.scaleX,
        y2: (row * PNET_CELL_STRIDE + PNET_CELL_SIZE) / level.scaleY,
        score,
        regression: [values[index + 1], values[index + 2], values[index + 3], values[index + 4]],
      });
    }
  }
  return candidates;
}
