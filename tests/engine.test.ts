import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlexNet, type ModelCard } from '../src/engine/classifier';
import { createEngine, facesToTensor, type Engine } from '../src/engine/engine';
import type { ModelFileReader, RgbaImage } from '../src/engine/types';
import { ENGINE_VERSION } from '../src/engine/version';
import { readImageFile, readModelFile, REPO_ROOT, useWasmBackend } from './mtcnn-helpers';

/** Random-weight AlexNet saved in memory. It exists only to exercise the pipeline; its scores mean nothing. */
async function saveRandomClassifier(trained: boolean): Promise<Map<string, ArrayBuffer>> {
  await useWasmBackend();
  const model = buildAlexNet({ head: 'bce' });
  const files = new Map<string, ArrayBuffer>();
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      files.set('test-classifier/model.json', new TextEncoder().encode(JSON.stringify(modelJson)).buffer as ArrayBuffer);
      files.set('test-classifier/weights.bin', artifacts.weightData as ArrayBuffer);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();

  const card: ModelCard = {
    name: 'random test weights',
    version: '0.0.0',
    loss: 'bce',
    createdAt: new Date(0).toISOString(),
    datasets: [],
    split: { unit: 'none', validationFraction: 0, seed: 0 },
    metrics: null,
    input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face' },
    calibration: null,
    engineVersion: ENGINE_VERSION,
    trained,
    notes: 'Built by tests/engine.test.ts, never shipped.',
  };
  files.set('test-classifier/card.json', new TextEncoder().encode(JSON.stringify(card)).buffer as ArrayBuffer);
  return files;
}

function readerWith(files: Map<string, ArrayBuffer>): ModelFileReader {
  return async (relativePath) => files.get(relativePath) ?? readModelFile(relativePath);
}

/** Places `face` at (left, top) on a grey canvas of the given size, so frames differ in size and layout. */
function placeOnCanvas(face: RgbaImage, width: number, height: number, left: number, top: number): RgbaImage {
  const data = new Uint8Array(width * height * 4).fill(96);
  for (let y = 0; y < face.height && top + y < height; y++) {
    const source = face.data.subarray(y * face.width * 4, (y + 1) * face.width * 4);
    const visible = Math.min(face.width, width - left) * 4;
    data.set(source.subarray(0, visible), ((top + y) * width + left) * 4);
  }
  return { width, height, data };
}

describe('engine', () => {
  let face: RgbaImage;
  let engine: Engine;

  beforeAll(async () => {
    face = await readImageFile(path.join(REPO_ROOT, 'tests/fixtures/astronaut.jpg'));
    engine = await createEngine({ readFile: readerWith(await saveRandomClassifier(true)), backends: ['wasm'], classifierFolder: 'test-classifier' });
  });

  afterAll(() => engine?.dispose());

  it('scores each detected face', async () => {
    const faces = await engine.analyzeFrame(face);
    expect(faces).toHaveLength(1);
    const probability = faces[0].fakeProbability as number;
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
    expect(engine.backend.name).toBe('wasm');
    expect(engine.model?.name).toBe('random test weights');
  });

  it('returns nothing for a faceless frame', async () => {
    const blank: RgbaImage = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 4).fill(128) };
    expect(await engine.analyzeFrame(blank)).toEqual([]);
  });

  it('leaks no tensors over 100 frame sizes', async () => {
    // Warm up once so lazily created weights and kernels are not counted as a leak.
    await engine.analyzeFrame(face);
    const tensorsBefore = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;

    let facesFound = 0;
    for (let i = 0; i < 100; i++) {
      const width = 260 + ((i * 37) % 200);
      const height = 260 + ((i * 53) % 140);
      const frame = placeOnCanvas(face, width, height, (i * 7) % (width - 256), (i * 3) % (height - 256));
      facesFound += (await engine.analyzeFrame(frame)).length;
    }

    expect(facesFound).toBeGreaterThanOrEqual(95);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(tf.memory().numBytes).toBe(bytesBefore);
  });

  it('rejects a face of the wrong size', () => {
    expect(() => facesToTensor([{ width: 64, height: 64, data: new Uint8Array(64 * 64) }])).toThrow(/64x64; the classifier needs 128x128/);
  });
});

describe('engine without trained weights', () => {
  it('detects faces but reports no probability', async () => {
    const face = await readImageFile(path.join(REPO_ROOT, 'tests/fixtures/astronaut.jpg'));
    const engine = await createEngine({ readFile: readerWith(await saveRandomClassifier(false)), backends: ['wasm'], classifierFolder: 'test-classifier' });
    try {
      expect(engine.model).toBeNull();
      const faces = await engine.analyzeFrame(face);
      expect(faces).toHaveLength(1);
      expect(faces[0].fakeProbability).toBeNull();
      expect(await engine.classifyFaces([])).toBeNull();
    } finally {
      engine.dispose();
    }
  });

  it('runs when no classifier folder exists', async () => {
    const engine = await createEngine({ readFile: readModelFile, backends: ['wasm'], classifierFolder: 'no-such-folder' });
    try {
      expect(engine.model).toBeNull();
    } finally {
      engine.dispose();
    }
  });
});
