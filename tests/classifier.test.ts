import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlexNet, calibrate, EMBEDDING_LAYER_NAME, loadClassifier, type ModelCard } from '../src/engine/classifier';
import type { ModelFileReader } from '../src/engine/types';
import { exportClassifier } from '../training/train-loop';
import { attachProbabilityHead } from '../training/model/predict-batches';

/** Agreement of predictions before and after a save and load (same float32 weights). */
const ROUND_TRIP_TOLERANCE = 1e-5;

const MODELS_DIR = path.resolve(__dirname, '..', 'models');

function folderReader(root: string): ModelFileReader {
  return async (relativePath) => {
    const bytes = await readFile(path.join(root, relativePath));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  };
}

function testCard(temperature: number | null, calibration?: ModelCard['calibration']): ModelCard {
  return {
    name: 'test',
    version: '0',
    loss: 'bce',
    createdAt: new Date(0).toISOString(),
    datasets: [],
    split: { unit: 'none', validationFraction: 0, seed: 0 },
    metrics: null,
    input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face' },
    calibration: calibration ?? (temperature === null ? null : { method: 'temperature', temperature }),
    engineVersion: '0',
    trained: false,
  };
}

describe('buildAlexNet', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('has 323,333 parameters with the 5-way head', () => {
    const model = buildAlexNet({ head: 'paper-5way' });
    expect(model.countParams()).toBe(832 + 51_264 + 204_928 + 65_664 + 645);
    expect(model.outputs[0].shape).toEqual([null, 5]);
    model.dispose();
  });

  it('has a 512-d embedding', () => {
    const model = buildAlexNet({ head: 'bce' });
    expect(model.getLayer(EMBEDDING_LAYER_NAME).outputShape).toEqual([null, 512]);
    model.dispose();
  });

  it('builds one output per head', () => {
    const expected = { bce: [null, 1], 'sparse-cce': [null, 2], triplet: [null, 512], contrastive: [null, 512] } as const;
    for (const [head, shape] of Object.entries(expected)) {
      const model = buildAlexNet({ head: head as keyof typeof expected, dropout: 0.5 });
      expect(model.outputs[0].shape).toEqual(shape);
      model.dispose();
    }
  });

  it('embedding heads output unit vectors', async () => {
    const model = buildAlexNet({ head: 'triplet', seed: 3 });
    const norms = tf.tidy(() => tf.norm(model.predict(tf.randomUniform([3, 128, 128, 1], 0, 1, 'float32', 4)) as tf.Tensor2D, 'euclidean', 1));
    const values = await norms.data();
    norms.dispose();
    for (const norm of values) expect(norm).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('same seed gives same weights', async () => {
    const first = buildAlexNet({ head: 'bce', seed: 7 });
    const second = buildAlexNet({ head: 'bce', seed: 7 });
    const [a, b] = [first.getWeights()[0], second.getWeights()[0]];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    first.dispose();
    second.dispose();
  });

  it('draws a new dropout mask each step', async () => {
    const model = buildAlexNet({ head: 'bce', dropout: 0.5, seed: 1 });
    const faces = tf.randomUniform([1, 128, 128, 1], 0, 1, 'float32', 8);
    const first = tf.tidy(() => model.apply(faces, { training: true }) as tf.Tensor);
    const differs = await tf.tidy(() => {
      const outputs = Array.from({ length: 5 }, () => model.apply(faces, { training: true }) as tf.Tensor);
      return tf.stack(outputs.map((output) => tf.notEqual(output, first).any()));
    }).data();
    expect(Array.from(differs).some(Boolean)).toBe(true);
    tf.dispose([faces, first]);
    model.dispose();
  });

  it('rejects an invalid dropout', () => {
    expect(() => buildAlexNet({ head: 'bce', dropout: 1 })).toThrow(/dropout 1 is outside/);
  });
});

describe('loadClassifier', () => {
  let folder = '';
  beforeAll(async () => {
    await tf.setBackend('wasm');
    folder = await mkdtemp(path.join(os.tmpdir(), 'classifier-test-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('returns null without model.json', async () => {
    expect(await loadClassifier(folderReader(folder), 'missing')).toBeNull();
  });

  it('names card.json when it is not JSON', async () => {
    const model = buildAlexNet({ head: 'bce', seed: 1 });
    await exportClassifier({ model }, testCard(null), path.join(folder, 'broken-card'));
    model.dispose();
    await writeFile(path.join(folder, 'broken-card', 'card.json'), '{');
    await expect(loadClassifier(folderReader(folder), 'broken-card')).rejects.toThrow(/broken-card\/card.json is not valid JSON/);
  });

  it('round-trips an exported BCE model', async () => {
    const model = buildAlexNet({ head: 'bce', seed: 1 });
    const faces = tf.randomUniform([4, 128, 128, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const direct = tf.tidy(() => tf.reshape(model.predict(faces) as tf.Tensor, [-1]));
    const expected = await direct.data();
    await exportClassifier({ model }, testCard(null), path.join(folder, 'bce'));

    const classifier = await loadClassifier(folderReader(folder), 'bce');
    expect(classifier).not.toBeNull();
    const actual = await classifier!.predict(faces);
    expect(actual.length).toBe(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(ROUND_TRIP_TOLERANCE);
    expect(classifier!.card.name).toBe('test');
    tf.dispose([faces, direct]);
    classifier!.dispose();
    model.dispose();
  });

  it('applies the card temperature', async () => {
    const model = buildAlexNet({ head: 'bce', seed: 1 });
    const faces = tf.randomUniform([2, 128, 128, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const raw = tf.tidy(() => tf.reshape(model.predict(faces) as tf.Tensor, [-1]));
    const rawValues = await raw.data();
    await exportClassifier({ model }, testCard(2), path.join(folder, 'hot'));

    const classifier = (await loadClassifier(folderReader(folder), 'hot'))!;
    const actual = await classifier.predict(faces);
    for (let i = 0; i < 2; i++) {
      const logit = Math.log(rawValues[i] / (1 - rawValues[i]));
      expect(Math.abs(actual[i] - 1 / (1 + Math.exp(-logit / 2)))).toBeLessThan(ROUND_TRIP_TOLERANCE);
    }
    tf.dispose([faces, raw]);
    classifier.dispose();
    model.dispose();
  });

  it('applies the card Platt scaling', async () => {
    const model = buildAlexNet({ head: 'bce', seed: 1 });
    const faces = tf.randomUniform([2, 128, 128, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const raw = tf.tidy(() => tf.reshape(model.predict(faces) as tf.Tensor, [-1]));
    const rawValues = await raw.data();
    await exportClassifier({ model }, testCard(null, { method: 'platt', slope: 0.7, intercept: -0.4 }), path.join(folder, 'platt'));

    const classifier = (await loadClassifier(folderReader(folder), 'platt'))!;
    const actual = await classifier.predict(faces);
    for (let i = 0; i < 2; i++) {
      const logit = Math.log(rawValues[i] / (1 - rawValues[i]));
      expect(Math.abs(actual[i] - 1 / (1 + Math.exp(-(0.7 * logit - 0.4))))).toBeLessThan(ROUND_TRIP_TOLERANCE);
    }
    tf.dispose([faces, raw]);
    classifier.dispose();
    model.dispose();
  });

  it('loads a baked embedding model', async () => {
    const embedding = buildAlexNet({ head: 'contrastive', seed: 2 });
    const weights = new Float32Array(512).fill(0.01);
    const model = attachProbabilityHead(embedding, { weights, bias: -0.1 });
    await exportClassifier({ model }, { ...testCard(null), loss: 'contrastive' }, path.join(folder, 'embedding'));

    const classifier = (await loadClassifier(folderReader(folder), 'embedding'))!;
    const faces = tf.randomUniform([3, 128, 128, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    const actual = await classifier.predict(faces);
    expect(actual.length).toBe(3);
    for (const p of actual) expect(p).toBeGreaterThan(0);
    faces.dispose();
    classifier.dispose();
    model.dispose();
  });

  it('predict leaks no tensors', async () => {
    const model = buildAlexNet({ head: 'sparse-cce', seed: 1 });
    await exportClassifier({ model }, testCard(1.5), path.join(folder, 'cce'));
    model.dispose();
    const classifier = (await loadClassifier(folderReader(folder), 'cce'))!;
    const faces = tf.randomUniform([2, 128, 128, 1]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const probabilities = await classifier.predict(faces);
    expect(tf.memory().numTensors).toBe(before);
    expect(probabilities.length).toBe(2);
    faces.dispose();
    classifier.dispose();
  });

  it('predict of zero faces', async () => {
    const model = buildAlexNet({ head: 'bce' });
    await exportClassifier({ model }, testCard(null), path.join(folder, 'empty'));
    model.dispose();
    const classifier = (await loadClassifier(folderReader(folder), 'empty'))!;
    const faces = tf.zeros([0, 128, 128, 1]) as tf.Tensor4D;
    expect((await classifier.predict(faces)).length).toBe(0);
    faces.dispose();
    classifier.dispose();
  });

  it('calibrate leaks no tensors', async () => {
    const p = tf.tensor1d([0.2, 0.9]);
    const before = tf.memory().numTensors;
    const calibrated = calibrate(p, 0.5);
    expect(tf.memory().numTensors).toBe(before + 1);
    const values = await calibrated.data();
    expect(values[0]).toBeGreaterThan(0.2);
    expect(values[1]).toBeLessThan(0.9);
    tf.dispose([p, calibrated]);
  });
});

describe('committed default classifier', () => {
  const present = existsSync(path.join(MODELS_DIR, 'classifier', 'model.json'));

  it.skipIf(!present)('is trained and scores faces', async () => {
    await tf.setBackend('wasm');
    const classifier = (await loadClassifier(folderReader(MODELS_DIR)))!;
    expect(classifier.card.trained).toBe(true);
    expect(classifier.card.metrics?.auc).toBeGreaterThan(0.5);
    const faces = tf.randomUniform([2, 128, 128, 1]) as tf.Tensor4D;
    const probabilities = await classifier.predict(faces);
    for (const p of probabilities) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    faces.dispose();
    classifier.dispose();
  });
});
