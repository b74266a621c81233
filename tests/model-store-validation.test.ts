import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelImportError, type ModelImportProblem } from '../src/model-store/model-import-error';
import type { ModelFiles } from '../src/model-store/model-files';
import { validateModel } from '../src/model-store/validate-model';
import {
  SHARD_NAME,
  copyFiles,
  fixedScoreLoader,
  loadLayersClassifier,
  makeTinyExport,
  readJson,
  useWasm,
  validCard,
  writeJson,
} from './model-store-helpers';

/** Validates and returns the problem code, or null when the export passed. */
async function problemOf(files: ModelFiles, loader = loadLayersClassifier): Promise<{ problem: ModelImportProblem; message: string } | null> {
  try {
    await validateModel(files, { loadClassifier: loader });
    return null;
  } catch (error) {
    if (error instanceof ModelImportError) {
      return { problem: error.problem, message: error.message };
    }
    throw error;
  }
}

describe('validateModel', () => {
  let good: ModelFiles;

  beforeAll(async () => {
    await useWasm();
    good = await makeTinyExport();
  });

  it('accepts a valid export', async () => {
    const validated = await validateModel(good, { loadClassifier: loadLayersClassifier });

    expect(validated.card.name).toBe('tiny-test-model');
    expect([...validated.files.keys()].sort()).toEqual(['card.json', 'group1-shard1of1.bin', 'model.json']);
    expect(validated.probeScores).toHaveLength(2);
    for (const score of validated.probeScores) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('drops files outside the export', async () => {
    const files = copyFiles(good);
    files.set('notes.txt', new TextEncoder().encode('hello'));

    const validated = await validateModel(files, { loadClassifier: loadLayersClassifier });

    expect(validated.files.has('notes.txt')).toBe(false);
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    await validateModel(good, { loadClassifier: loadLayersClassifier });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors when it rejects', async () => {
    const before = tf.memory().numTensors;
    const result = await problemOf(good, fixedScoreLoader([0.5]));
    expect(result?.problem).toBe('invalid-output');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects model.json that is not JSON', async () => {
    const files = copyFiles(good);
    files.set('model.json', new TextEncoder().encode('<html>not a model</html>'));

    const result = await problemOf(files);

    expect(result?.problem).toBe('invalid-json');
    expect(result?.message).toContain('model.json');
  });

  it('rejects a missing card', async () => {
    const files = copyFiles(good);
    files.delete('card.json');

    const result = await problemOf(files);

    expect(result?.problem).toBe('missing-file');
    expect(result?.message).toContain('card.json');
  });

  it('rejects a missing shard', async () => {
    const files = copyFiles(good);
    files.delete(SHARD_NAME);

    const result = await problemOf(files);

    expect(result?.problem).toBe('missing-file');
    expect(result?.message).toContain(SHARD_NAME);
  });

  const requiredFields = ['name', 'version', 'loss', 'createdAt', 'datasets', 'split', 'metrics', 'input', 'calibration', 'engineVersion', 'trained'];
  for (const field of requiredFields) {
    it(`rejects a card without ${field}`, async () => {
      const files = copyFiles(good);
      const card = validCard();
      delete card[field];
      writeJson(files, 'card.json', card);

      const result = await problemOf(files);

      expect(result?.problem).toBe('invalid-card');
      expect(result?.message).toContain(field);
    });
  }

  it('accepts a card with a box framing', async () => {
    const files = copyFiles(good);
    writeJson(files, 'card.json', validCard({ input: { width: 128, height: 128, channels: 1, framing: { kind: 'box', scale: 0.9, offsetX: 0.013, offsetY: 0.042 } } }));

    const validated = await validateModel(files, { loadClassifier: loadLayersClassifier });

    expect(validated.card.name).toBeTruthy();
  });

  it('accepts a card with null metrics', async () => {
    const files = copyFiles(good);
    writeJson(files, 'card.json', validCard({ metrics: null }));

    const validated = await validateModel(files, { loadClassifier: loadLayersClassifier });

    expect(validated.card.metrics).toBeNull();
  });

  const badCards: [string, Record<string, unknown>][] = [
    ['an unknown loss', { loss: 'hinge' }],
    ['a 64-pixel input', { input: { width: 64, height: 64, channels: 1 } }],
    ['an RGB input', { input: { width: 128, height: 128, channels: 3 } }],
    ['an untrained model', { trained: false }],
    ['another engine major version', { engineVersion: '99.0.0' }],
    ['a zero temperature', { calibration: { method: 'temperature', temperature: 0 } }],
    ['an invalid date', { createdAt: 'yesterday' }],
    ['an unknown calibration method', { calibration: { method: 'isotonic' } }],
    ['a negative Platt slope', { calibration: { method: 'platt', slope: -1, intercept: 0 } }],
    ['an unknown framing', { input: { width: 128, height: 128, channels: 1, framing: { kind: 'fisheye' } } }],
    ['a box framing of zero width', { input: { width: 128, height: 128, channels: 1, framing: { kind: 'box', scale: 0, offsetX: 0, offsetY: 0 } } }],
    ['a box framing without offsets', { input: { width: 128, height: 128, channels: 1, framing: { kind: 'box', scale: 0.9 } } }],
  ];
  for (const [label, overrides] of badCards) {
    it(`rejects a card with ${label}`, async () => {
      const files = copyFiles(good);
      writeJson(files, 'card.json', validCard(overrides));

      const result = await problemOf(files);

      expect(result?.problem).toBe('invalid-card');
    });
  }

  it('rejects a truncated shard', async () => {
    const files = copyFiles(good);
    const shard = files.get(SHARD_NAME) as Uint8Array;
    files.set(SHARD_NAME, shard.slice(0, shard.byteLength - 100));

    const result = await problemOf(files);

    expect(result?.problem).toBe('weight-size-mismatch');
    expect(result?.message).toContain(SHARD_NAME);
  });

  it('rejects NaN weights', async () => {
    const files = copyFiles(good);
    const shard = files.get(SHARD_NAME) as Uint8Array;
    new DataView(shard.buffer, shard.byteOffset).setFloat32(8, Number.NaN, true);

    const result = await problemOf(files);

    expect(result?.problem).toBe('non-finite-weights');
    expect(result?.message).toMatch(/index 2/);
  });

  it('rejects infinite weights', async () => {
    const files = copyFiles(good);
    const shard = files.get(SHARD_NAME) as Uint8Array;
    new DataView(shard.buffer, shard.byteOffset).setFloat32(shard.byteLength - 4, Number.POSITIVE_INFINITY, true);

    const result = await problemOf(files);

    expect(result?.problem).toBe('non-finite-weights');
  });

  it('rejects weight shapes that do not fit the layers', async () => {
    const files = copyFiles(good);
    const modelJson = readJson(files, 'model.json') as { weightsManifest: { weights: { shape: number[] }[] }[] };
    // Same byte count, so only TF.js's shape check can catch it: [5, 5, 1, 4] becomes [5, 5, 4, 1].
    modelJson.weightsManifest[0].weights[0].shape = [5, 5, 4, 1];
    writeJson(files, 'model.json', modelJson);

    const result = await problemOf(files);

    expect(result?.problem).toBe('load-failed');
  });

  it('rejects a 64x64 input model', async () => {
    const files = await makeTinyExport({ inputSize: 64 });

    const result = await problemOf(files);

    expect(result?.problem).toBe('invalid-topology');
    expect(result?.message).toContain('[null,64,64,1]');
  });

  it('rejects three outputs per face', async () => {
    const files = await makeTinyExport({ units: 3, activation: 'softmax' });

    const result = await problemOf(files);

    expect(result?.problem).toBe('invalid-output');
    expect(result?.message).toContain('6 values for 2 faces');
  });

  it('rejects scores outside [0, 1]', async () => {
    const result = await problemOf(good, fixedScoreLoader([0.2, 1.5]));

    expect(result?.problem).toBe('invalid-output');
    expect(result?.message).toContain('1.5');
  });

  it('rejects NaN scores', async () => {
    const result = await problemOf(good, fixedScoreLoader([Number.NaN, 0.5]));

    expect(result?.problem).toBe('invalid-output');
  });

  it('rejects a model over the size limit', async () => {
    await expect(validateModel(good, { loadClassifier: loadLayersClassifier, limits: { maxModelBytes: 1000 } })).rejects.toMatchObject({ problem: 'too-large' });
  });
});
