import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cropCandidates } from '../src/engine/mtcnn/crop';
import { NORMALIZED_BLACK } from '../src/engine/mtcnn/layers';
import { resizeRgbBilinear } from '../src/engine/mtcnn/resize';

/** Largest allowed difference from TF.js's resize, for float32 rounding. */
const RESIZE_TOLERANCE = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resizeRgbBilinear', () => {
  const cases: Array<[number, number, number, number]> = [
    [64, 36, 38, 21],
    [17, 29, 12, 12],
    [20, 10, 40, 20],
    [5, 5, 5, 5],
  ];

  it.each(cases)('matches tf.image.resizeBilinear from %ix%i to %ix%i', async (width, height, outWidth, outHeight) => {
    const data = Float32Array.from({ length: width * height * 3 }, (_, i) => Math.sin(i * 0.37) * 0.9);
    const resized = resizeRgbBilinear({ width, height, data }, outWidth, outHeight);

    const expectedTensor = tf.tidy(() =>
      tf.image.resizeBilinear(tf.tensor4d(data, [1, height, width, 3]), [outHeight, outWidth], false, true),
    );
    const expected = await expectedTensor.data();
    expectedTensor.dispose();

    expect(resized.width).toBe(outWidth);
    expect(resized.height).toBe(outHeight);
    let maxDifference = 0;
    for (let i = 0; i < expected.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(expected[i] - resized.data[i]));
    }
    expect(maxDifference).toBeLessThan(RESIZE_TOLERANCE);
  });
});

describe('cropCandidates', () => {
  const width = 40;
  const height = 30;
  const data = Float32Array.from({ length: width * height * 3 }, (_, i) => (i % 251) / 251);
  const image = { width, height, data };

  it('copies pixels for a box of the crop size', () => {
    const crop = cropCandidates(image, [{ x1: 10, y1: 5, x2: 22, y2: 17, score: 1, regression: [0, 0, 0, 0] }], 12);
    expect(crop.length).toBe(12 * 12 * 3);
    for (const [row, column, channel] of [
      [0, 0, 0],
      [3, 7, 1],
      [11, 11, 2],
    ]) {
      const expected = data[((5 + row) * width + 10 + column) * 3 + channel];
      expect(crop[(row * 12 + column) * 3 + channel]).toBeCloseTo(expected, 6);
    }
  });

  it('averages 2x2 samples for a large box', () => {
    // A 48-px box cropped to 12 px takes 24 samples per axis, 2 px apart. Sample k lies at
    // pixel-index position x1 + 2k + 0.5, halfway between two pixels.
    const crop = cropCandidates(image, [{ x1: 4, y1: 2, x2: 52, y2: 50, score: 1, regression: [0, 0, 0, 0] }], 12);
    const bilinear = (x: number, y: number): number => {
      if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
        return NORMALIZED_BLACK;
      }
      const left = Math.floor(x);
      const top = Math.floor(y);
      const right = Math.min(left + 1, width - 1);
      const bottom = Math.min(top + 1, height - 1);
      const pixel = (px: number, py: number): number => data[(py * width + px) * 3];
      const upper = pixel(left, top) * (1 - (x - left)) + pixel(right, top) * (x - left);
      const lower = pixel(left, bottom) * (1 - (x - left)) + pixel(right, bottom) * (x - left);
      return upper * (1 - (y - top)) + lower * (y - top);
    };
    for (const [row, column] of [
      [0, 0],
      [5, 6],
      [11, 3],
    ]) {
      const xs = [4 + 4 * column + 0.5, 4 + 4 * column + 2.5];
      const ys = [2 + 4 * row + 0.5, 2 + 4 * row + 2.5];
      const expected = (bilinear(xs[0], ys[0]) + bilinear(xs[1], ys[0]) + bilinear(xs[0], ys[1]) + bilinear(xs[1], ys[1])) / 4;
      expect(crop[(row * 12 + column) * 3], `pixel ${row},${column}`).toBeCloseTo(expected, 5);
    }
  });

  it('reads black outside the image', () => {
    const crop = cropCandidates(image, [{ x1: 100, y1: 100, x2: 124, y2: 124, score: 1, regression: [0, 0, 0, 0] }], 12);
    expect(crop.every((value) => Math.abs(value - NORMALIZED_BLACK) < 1e-6)).toBe(true);
  });
});
