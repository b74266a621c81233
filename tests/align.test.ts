import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALIGNED_FACE_SIZE,
  type SimilarityTransform,
  alignFace,
  applySimilarity,
  computeAlignmentTemplate,
  estimateSimilarity,
  invertSimilarity,
} from '../src/engine/align';
import type { Landmarks, Point, RgbaImage } from '../src/engine/types';
import { REPO_ROOT, readImageFile } from './mtcnn-helpers';

/** Allowed error of the recovered rotation-and-scale parameters `a` and `b`. */
const TRANSFORM_TOLERANCE = 1e-9;
/** Allowed error of the recovered translation, in pixels. */
const TRANSLATION_TOLERANCE_PX = 1e-6;
/** Allowed distance between a drawn landmark's brightest output pixel and its template position, in pixels. */
const LANDMARK_TOLERANCE_PX = 1.5;

const KNOWN_TRANSFORM: SimilarityTransform = makeTransform(1.7, 0.35, 120.5, -42.25);
/** A transform from template space into a larger image, rotated by about 14 degrees. */
const KNOWN_TRANSFORM_SMALL: SimilarityTransform = makeTransform(0.9, 0.25, 40, 20);

describe('estimateSimilarity', () => {
  it('recovers a known transform', () => {
    const source: Point[] = [
      [10, 20],
      [55, 18],
      [33, 47],
      [15, 70],
      [52, 72],
    ];
    const target = source.map((point) => applySimilarity(KNOWN_TRANSFORM, point));
    const estimated = estimateSimilarity(source, target);

    expect(Math.abs(estimated.a - KNOWN_TRANSFORM.a)).toBeLessThan(TRANSFORM_TOLERANCE);
    expect(Math.abs(estimated.b - KNOWN_TRANSFORM.b)).toBeLessThan(TRANSFORM_TOLERANCE);
    expect(Math.abs(estimated.tx - KNOWN_TRANSFORM.tx)).toBeLessThan(TRANSLATION_TOLERANCE_PX);
    expect(Math.abs(estimated.ty - KNOWN_TRANSFORM.ty)).toBeLessThan(TRANSLATION_TOLERANCE_PX);
  });

  it('inverts to the identity', () => {
    const point: Point = [17.25, -3.5];
    const roundTrip = applySimilarity(invertSimilarity(KNOWN_TRANSFORM), applySimilarity(KNOWN_TRANSFORM, point));
    expect(roundTrip[0]).toBeCloseTo(point[0], 9);
    expect(roundTrip[1]).toBeCloseTo(point[1], 9);
  });

  it('rejects coincident source points', () => {
    const same: Point[] = [
      [5, 5],
      [5, 5],
    ];
    expect(() => estimateSimilarity(same, [
      [0, 0],
      [1, 1],
    ])).toThrow(/same point/);
  });
});

describe('alignFace', () => {
  it('returns a 128x128 grey image by default', () => {
    const image = makeImage(200, 150, () => [10, 20, 30]);
    const face = alignFace(image, placeLandmarks(KNOWN_TRANSFORM_SMALL));
    expect(face.width).toBe(ALIGNED_FACE_SIZE);
    expect(face.height).toBe(ALIGNED_FACE_SIZE);
    expect(face.data).toBeInstanceOf(Uint8Array);
    expect(face.data.length).toBe(ALIGNED_FACE_SIZE * ALIGNED_FACE_SIZE);
  });

  it('honours a custom output size', () => {
    const image = makeImage(200, 150, () => [10, 20, 30]);
    const face = alignFace(image, placeLandmarks(KNOWN_TRANSFORM_SMALL), 64);
    expect(face.width).toBe(64);
    expect(face.data.length).toBe(64 * 64);
  });

  it('converts colour with BT.601 luma', () => {
    const image = makeImage(200, 150, () => [200, 100, 50]);
    const face = alignFace(image, placeLandmarks(KNOWN_TRANSFORM_SMALL));
    const center = face.data[64 * ALIGNED_FACE_SIZE + 64];
    expect(center).toBe(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50));
  });

  it('maps landmarks onto the template', () => {
    // A rotated, scaled "face" whose only bright pixels are its five landmarks.
    const landmarks = placeLandmarks(KNOWN_TRANSFORM_SMALL);
    const image = makeImage(220, 180, (x, y) => {
      const lit = landmarks.some(([lx, ly]) => Math.hypot(x + 0.5 - lx, y + 0.5 - ly) < 1.5);
      return lit ? [255, 255, 255] : [0, 0, 0];
    });
    const face = alignFace(image, landmarks);
    const template = computeAlignmentTemplate();

    template.forEach(([tx, ty], k) => {
      const [bx, by] = findBrightestNear(face.data, ALIGNED_FACE_SIZE, tx, ty, 6);
      const distance = Math.hypot(bx + 0.5 - tx, by + 0.5 - ty);
      expect(distance, `landmark ${k}`).toBeLessThanOrEqual(LANDMARK_TOLERANCE_PX);
    });
  });

  it('fills pixels outside the image with black', () => {
    const image = makeImage(40, 40, () => [255, 255, 255]);
    // Landmarks near the top-left corner, so most of the crop lies outside the image.
    const face = alignFace(image, placeLandmarks(makeTransform(0.4, 0, -20, -20)));
    expect(face.data[0]).toBe(0);
  });

  it('rejects non-finite landmarks', () => {
    const image = makeImage(20, 20, () => [0, 0, 0]);
    const landmarks = placeLandmarks(KNOWN_TRANSFORM_SMALL);
    landmarks[2] = [Number.NaN, 4];
    expect(() => alignFace(image, landmarks)).toThrow(/landmarks .* are invalid/);
  });

  it('rejects a non-integer size', () => {
    const image = makeImage(20, 20, () => [0, 0, 0]);
    expect(() => alignFace(image, placeLandmarks(KNOWN_TRANSFORM_SMALL), 12.5)).toThrow(/size 12.5 is invalid/);
  });

  it('keeps the astronaut face upright', async () => {
    const image = await readImageFile(path.join(REPO_ROOT, 'tests', 'fixtures', 'astronaut.jpg'));
    // Landmarks from MTCNN on this fixture, rounded.
    const landmarks: Landmarks = [
      [102, 50],
      [124, 52],
      [113, 65],
      [101, 70],
      [123, 71],
    ];
    const face = alignFace(image, landmarks);
    // The row through the eyes is darker on average than the row through the nose tip.
    const eyeLevel = meanRow(face, Math.round(computeAlignmentTemplate()[0][1]), 40, 88);
    const cheekLevel = meanRow(face, Math.round(computeAlignmentTemplate()[2][1]), 40, 88);
    expect(eyeLevel).toBeLessThan(cheekLevel);
  });
});

function makeTransform(scale: number, angle: number, tx: number, ty: number): SimilarityTransform {
  return { a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx, ty };
}

/** Places the template's landmarks in an image through `templateToImage`. */
function placeLandmarks(templateToImage: SimilarityTransform): Landmarks {
  return computeAlignmentTemplate().map((point) => applySimilarity(templateToImage, point)) as Landmarks;
}

function makeImage(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

function findBrightestNear(data: Uint8Array, size: number, cx: number, cy: number, radius: number): [number, number] {
  let best: [number, number] = [-1, -1];
  let bestValue = -1;
  for (let y = Math.floor(cy - radius); y <= cy + radius; y++) {
    for (let x = Math.floor(cx - radius); x <= cx + radius; x++) {
      if (x < 0 || y < 0 || x >= size || y >= size) {
        continue;
      }
      if (data[y * size + x] > bestValue) {
        bestValue = data[y * size + x];
        best = [x, y];
      }
    }
  }
  return best;
}

function meanRow(face: { width: number; data: Uint8Array }, row: number, from: number, to: number): number {
  let sum = 0;
  for (let x = from; x < to; x++) {
    sum += face.data[row * face.width + x];
  }
  return sum / (to - from);
}
