import 'fake-indexeddb/auto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlexNet, loadClassifier } from '../src/engine/classifier';
import type { ModelCard } from '../src/engine/classifier/model-card';
import { createModelFileReader } from '../src/node/model-files';
import { ModelStore } from '../src/model-store/model-store';
import { validateModel } from '../src/model-store/validate-model';
import { syntheticFace } from '../src/model-store/probe-faces';
import { exportClassifier } from '../training/export-classifier';
import { makeTinyExport, useWasm, validCard } from './model-store-helpers';

/**
 * Largest allowed difference between the score the extension's path gives (zip, IndexedDB,
 * in-memory reader) and the score Node gives from the export folder. Both run the same loader on
 * the same WASM backend with byte-identical weights, so any difference means the bytes changed.
 */
const ROUND_TRIP_TOLERANCE = 1e-6;

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/astronaut.jpg');

/** Cuts the face region of the public-domain astronaut portrait (256x256) and resizes it to a 128x128 grey crop. */
async function astronautFace(): Promise<Uint8Array> {
  const decoded = jpeg.decode(await readFile(FIXTURE), { useTArray: true, formatAsRGBA: true });
  // The face sits at about x 80..208, y 20..148 in the 256-pixel image.
  const left = 80;
  const top = 20;
  const side = 128;
  const face = new Uint8Array(128 * 128);
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 128; x++) {
      const sourceX = Math.min(decoded.width - 1, left + Math.floor((x * side) / 128));
      const sourceY = Math.min(decoded.height - 1, top + Math.floor((y * side) / 128));
      const i = (sourceY * decoded.width + sourceX) * 4;
      // ITU-R BT.601 luma.
      face[y * 128 + x] = Math.round(0.299 * decoded.data[i] + 0.587 * decoded.data[i + 1] + 0.114 * decoded.data[i + 2]);
    }
  }
  return face;
}

async function predict(readFile: Parameters<typeof loadClassifier>[0], folder: string, faces: Uint8Array[]): Promise<Float32Array> {
  const classifier = await loadClassifier(readFile, folder);
  if (classifier === null) {
    throw new Error(`no model in ${folder}`);
  }
  const batch = tf.tidy(() => tf.stack(faces.map((face) => tf.tensor3d(face, [128, 128, 1], 'float32').div(255))) as tf.Tensor4D);
  try {
    return await classifier.predict(batch);
  } finally {
    batch.dispose();
    classifier.dispose();
  }
}

describe('model store round trip', () => {
  let workDir: string;
  let exportDir: string;
  let faces: Uint8Array[];

  beforeAll(async () => {
    await useWasm();
    workDir = await mkdtemp(path.join(tmpdir(), 'model-roundtrip-'));
    exportDir = path.join(workDir, 'alexnet-export');
    // NOTE: the weights are the seeded initialisation, not a trained model, because the test
    // checks the transport of weights and calibration, not their quality.
    const model = buildAlexNet({ head: 'bce', seed: 42 });
    const card = validCard({ name: 'alexnet-roundtrip', calibration: { method: 'temperature', temperature: 1.7 } }) as unknown as ModelCard;
    await exportClassifier({ model }, card, exportDir);
    model.dispose();
    faces = [await astronautFace(), syntheticFace()];
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('gives Node scores after a zip import', async () => {
    const names = await readdir(exportDir);
    const entries = Object.fromEntries(await Promise.all(names.map(async (name) => [`alexnet-export/${name}`, new Uint8Array(await readFile(path.join(exportDir, name)))] as const)));
    const archive = zipSync(entries);
    const store = await ModelStore.open({ readBundledFile: createModelFileReader(), loadClassifier, databaseName: 'roundtrip' });

    try {
      await store.importSelection([{ name: 'alexnet-export.zip', size: archive.byteLength, arrayBuffer: async () => archive.slice().buffer as ArrayBuffer }]);
      const source = await store.activeModelSource();
      const extensionScores = await predict(source.readFile, source.classifierFolder, faces);
      const nodeScores = await predict(createModelFileReader(workDir), 'alexnet-export', faces);

      expect(source.label).toBe('alexnet-roundtrip 0.0.1');
      // Distinct scores show the faces reached the model, so equal scores are not a constant output.
      expect(nodeScores[0]).not.toBeCloseTo(nodeScores[1], 6);
      expect(extensionScores).toHaveLength(faces.length);
      for (let i = 0; i < faces.length; i++) {
        expect(Math.abs(extensionScores[i] - nodeScores[i])).toBeLessThanOrEqual(ROUND_TRIP_TOLERANCE);
      }
    } finally {
      store.close();
    }
  });

  it('validates with the engine loader', async () => {
    const files = new Map((await readdir(exportDir)).map((name) => [name, new Uint8Array()] as [string, Uint8Array]));
    for (const name of files.keys()) {
      files.set(name, new Uint8Array(await readFile(path.join(exportDir, name))));
    }

    const validated = await validateModel(files, { loadClassifier, probeFaces: faces });

    expect(validated.card.loss).toBe('bce');
    expect(validated.probeScores).toHaveLength(2);
  });

  it('engine loader rejects three outputs', async () => {
    const files = await makeTinyExport({ units: 3, activation: 'softmax' });

    await expect(validateModel(files, { loadClassifier })).rejects.toMatchObject({ problem: 'load-failed', message: expect.stringContaining('3 units') });
  });

  it('leaks no tensors with the engine loader', async () => {
    const files = await makeTinyExport();
    const before = tf.memory().numTensors;

    await validateModel(files, { loadClassifier });

    expect(tf.memory().numTensors).toBe(before);
  });
});
