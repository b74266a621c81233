import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
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
