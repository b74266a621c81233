import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mtcnn, createMtcnn } from '../src/engine/mtcnn';
import type { Box, DetectedFace, Landmarks, RgbaImage } from '../src/engine/types';
import { REPO_ROOT, SHARED_DATA_DIR, readImageFile, readModelFile, useWasmBackend } from './mtcnn-helpers';

const ASTRONAUT_FILE = path.join(REPO_ROOT, 'tests', 'fixtures', 'astronaut.jpg');
const REFERENCE_DIR = path.join(SHARED_DATA_DIR, 'mtcnn-reference');
const hasReference = existsSync(path.join(REFERENCE_DIR, 'expected.json'));
if (!hasReference) {
  console.warn(`mtcnn.test: ${REFERENCE_DIR} is missing, so the reference-image test is skipped`);
}

/** Detections on frames of different sizes in the leak test. */
const LEAK_TEST_RUNS = 100;

interface ReferenceFile {
  image: string;
  minFaceSize: number;
  minScore: number;
  tolerancePx: { box: number; landmarks: number };
  faces: Array<{ box: Box; landmarks: Landmarks }>;
}

let mtcnn: Mtcnn;
let astronaut: RgbaImage;

beforeAll(async () => {
  await useWasmBackend();
  mtcnn = await createMtcnn(readModelFile);
  astronaut = await readImageFile(ASTRONAUT_FILE);
});

afterAll(() => {
  mtcnn?.dispose();
});

describe('MTCNN on the astronaut fixture', () => {
  it('finds exactly one face', async () => {
    const faces = await mtcnn.detect(astronaut);
    expect(faces).toHaveLength(1);
    expect(faces[0].score).toBeGreaterThan(0.9);
  });

  it('places landmarks in face order', async () => {
    const [face] = await mtcnn.detect(astronaut);
    const [leftEye, rightEye, nose, leftMouth, rightMouth] = face.landmarks;

    expect(leftEye[0]).toBeLessThan(rightEye[0]);
    expect(leftMouth[0]).toBeLessThan(rightMouth[0]);
    expect(Math.max(leftEye[1], rightEye[1])).toBeLessThan(nose[1]);
    expect(nose[1]).toBeLessThan(Math.min(leftMouth[1], rightMouth[1]));
    expect(nose[0]).toBeGreaterThan(leftEye[0]);
    expect(nose[0]).toBeLessThan(rightEye[0]);
    for (const point of face.landmarks) {
      expect(isInside(point, face.box)).toBe(true);
    }
  });

  it('keeps the face near the same place across backends', async () => {
    const [wasmFace] = await mtcnn.detect(astronaut);
    await tf.setBackend('cpu');
    const cpuDetector = await createMtcnn(readModelFile);
    try {
      const [cpuFace] = await cpuDetector.detect(astronaut);
      expect(Math.abs(cpuFace.box.x - wasmFace.box.x)).toBeLessThan(1);
      expect(Math.abs(cpuFace.box.width - wasmFace.box.width)).toBeLessThan(1);
      expect(Math.abs(cpuFace.landmarks[2][1] - wasmFace.landmarks[2][1])).toBeLessThan(1);
    } finally {
      cpuDetector.dispose();
      await useWasmBackend();
    }
  });
});

describe('MTCNN on large images', () => {
  it('finds the face above maxInputSize', async () => {
    // 5x nearest-neighbour upscale: 1280x1280 with a face of about 280 px.
    const large = upscaleImage(astronaut, 5);
    const faces = await mtcnn.detect(large, { maxInputSize: 320 });
    expect(faces).toHaveLength(1);
    const [small] = await mtcnn.detect(astronaut);
    expect(Math.abs(faces[0].box.x / 5 - small.box.x)).toBeLessThan(4);
    expect(Math.abs(faces[0].box.width / 5 - small.box.width)).toBeLessThan(6);
  });

  it('raises the minimum face above maxInputSize', async () => {
    // The 256-px fixture (face about 56 px) pasted into a 1024x1024 grey canvas.
    const canvas = pasteImage(astronaut, 1024, 1024, 384, 384);
    const found = await mtcnn.detect(canvas);
    expect(found).toHaveLength(1);
    // maxInputSize 256 raises the 20-px minimum face to 80 px, above this face.
    const missed = await mtcnn.detect(canvas, { maxInputSize: 256 });
    expect(missed).toHaveLength(0);
  });
});

describe.skipIf(!hasReference)('MTCNN on the reference image', () => {
  it('finds all six faces within tolerance', async () => {
    const reference = JSON.parse(readFileSync(path.join(REFERENCE_DIR, 'expected.json'), 'utf8')) as ReferenceFile;
    const image = await readImageFile(path.join(REFERENCE_DIR, reference.image));
    const faces = await mtcnn.detect(image, { minFaceSize: reference.minFaceSize });

    expect(faces).toHaveLength(reference.faces.length);
    for (const expected of reference.faces) {
      const found = findBestMatch(faces, expected.box);
      const label = `face at ${expected.box.x},${expected.box.y}`;
      expect(found.score, label).toBeGreaterThanOrEqual(reference.minScore);
      expect(Math.abs(found.box.x - expected.box.x), `${label} x`).toBeLessThanOrEqual(reference.tolerancePx.box);
      expect(Math.abs(found.box.y - expected.box.y), `${label} y`).toBeLessThanOrEqual(reference.tolerancePx.box);
      expect(Math.abs(found.box.width - expected.box.width), `${label} width`).toBeLessThanOrEqual(
        reference.tolerancePx.box,
      );
      expect(Math.abs(found.box.height - expected.box.height), `${label} height`).toBeLessThanOrEqual(
        reference.tolerancePx.box,
      );
      expected.landmarks.forEach((point, k) => {
        const distance = Math.hypot(found.landmarks[k][0] - point[0], found.landmarks[k][1] - point[1]);
        expect(distance, `${label} landmark ${k}`).toBeLessThanOrEqual(reference.tolerancePx.landmarks);
      });
    }
  });
});

describe('MTCNN resource use', () => {
  it('leaks no tensors over many frame sizes', async () => {
    await mtcnn.detect(astronaut);
    const before = tf.memory().numTensors;
    let facesSeen = 0;
    for (let run = 0; run < LEAK_TEST_RUNS; run++) {
      const width = 40 + ((run * 37) % 217);
      const height = 40 + ((run * 53) % 217);
      const faces = await mtcnn.detect(cropImage(astronaut, width, height));
      facesSeen += faces.length;
    }
    expect(tf.memory().numTensors).toBe(before);
    // The larger crops contain the face, so all three stages ran in some of the runs.
    expect(facesSeen).toBeGreaterThan(0);
  });

  it('returns no faces for an image under 12 px', async () => {
    const faces = await mtcnn.detect(cropImage(astronaut, 11, 40));
    expect(faces).toEqual([]);
  });

  it('rejects data of the wrong length', async () => {
    const image: RgbaImage = { width: 20, height: 20, data: new Uint8Array(20 * 20 * 3) };
    await expect(mtcnn.detect(image)).rejects.toThrow(/needs 1600/);
  });

  it('rejects an invalid scale factor', async () => {
    await expect(mtcnn.detect(astronaut, { scaleFactor: 1 })).rejects.toThrow(/scaleFactor 1 is invalid/);
  });

  it('frees all weights on dispose', async () => {
    const before = tf.memory().numTensors;
    const detector = await createMtcnn(readModelFile);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects detect after dispose', async () => {
    const detector = await createMtcnn(readModelFile);
    const before = tf.memory().numTensors;
    detector.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    await expect(detector.detect(astronaut)).rejects.toThrow(/after dispose/);
  });
});

function isInside(point: [number, number], box: Box): boolean {
  return point[0] >= box.x && point[0] <= box.x + box.width && point[1] >= box.y && point[1] <= box.y + box.height;
}

function findBestMatch(faces: DetectedFace[], box: Box): DetectedFace {
  const centerX = box.x + box.width / 2;
  const centerY = box.y + box.height / 2;
  const distance = (face: DetectedFace): number =>
    Math.hypot(face.box.x + face.box.width / 2 - centerX, face.box.y + face.box.height / 2 - centerY);
  return faces.reduce((best, face) => (distance(face) < distance(best) ? face : best));
}

/** Copies the top-left `width x height` pixels of an image. */
function cropImage(image: RgbaImage, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const start = row * image.width * 4;
    data.set(image.data.subarray(start, start + width * 4), row * width * 4);
  }
  return { width, height, data };
}

/** Scales an image up by an integer factor with nearest-neighbour sampling. */
function upscaleImage(image: RgbaImage, factor: number): RgbaImage {
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4;
      data.set(image.data.subarray(source, source + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Places an image at `(left, top)` on a mid-grey canvas of the given size. */
function pasteImage(image: RgbaImage, width: number, height: number, left: number, top: number): RgbaImage {
  const data = new Uint8Array(width * height * 4).fill(128);
  for (let row = 0; row < image.height; row++) {
    const start = row * image.width * 4;
    data.set(image.data.subarray(start, start + image.width * 4), ((top + row) * width + left) * 4);
  }
  return { width, height, data };
}
