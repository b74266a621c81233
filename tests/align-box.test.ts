import { describe, expect, it } from 'vitest';
import { cropFaceBox } from '../src/engine/align';
import type { RgbaImage } from '../src/engine/types';

/** A 200x100 image whose grey level is the x coordinate, so crops reveal where they sampled. */
function horizontalRamp(): RgbaImage {
  const width = 200;
  const height = 100;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([x, x, x, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Luma rounding and bilinear weights move values by at most this much. */
const GREY_TOLERANCE = 1;

describe('cropFaceBox', () => {
  it('samples the box at scale 1', () => {
    const crop = cropFaceBox(horizontalRamp(), { x: 50, y: 10, width: 64, height: 64 }, { scale: 1, offsetX: 0, offsetY: 0 }, 64);
    expect(crop.width).toBe(64);
    // One output pixel per source pixel: column c shows source x = 50 + c.
    expect(Math.abs(crop.data[10 * 64 + 0] - 50)).toBeLessThanOrEqual(GREY_TOLERANCE);
    expect(Math.abs(crop.data[10 * 64 + 63] - 113)).toBeLessThanOrEqual(GREY_TOLERANCE);
  });

  it('shifts the center by box widths', () => {
    const box = { x: 50, y: 10, width: 40, height: 40 };
    const centered = cropFaceBox(horizontalRamp(), box, { scale: 1, offsetX: 0, offsetY: 0 }, 40);
    const shifted = cropFaceBox(horizontalRamp(), box, { scale: 1, offsetX: 0.5, offsetY: 0 }, 40);
    // Half a box width to the right is 20 source pixels, so 20 grey levels on this ramp.
    expect(Math.abs(shifted.data[20 * 40 + 20] - centered.data[20 * 40 + 20] - 20)).toBeLessThanOrEqual(GREY_TOLERANCE);
  });

  it('fills outside the image with black', () => {
    const crop = cropFaceBox(horizontalRamp(), { x: 180, y: 10, width: 40, height: 40 }, { scale: 1, offsetX: 0, offsetY: 0 }, 40);
    expect(crop.data[20 * 40 + 39]).toBe(0);
  });

  it('rejects an empty box', () => {
    expect(() => cropFaceBox(horizontalRamp(), { x: 0, y: 0, width: 0, height: 0 }, { scale: 1, offsetX: 0, offsetY: 0 })).toThrow(/must be positive/);
  });
});
