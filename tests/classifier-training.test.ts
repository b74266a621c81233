import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentFace } from '../training/augment';
import { rocAuc } from '../training/metrics/roc';
import { fitTemperature, logLossAtTemperature } from '../training/model/fit-temperature';
import { SeededRandom } from '../training/seeded-random';
import { epochOrder, trainClassifier, type FaceDataset, type TrainOptions } from '../training/train-loop';
import { activateTrainingBackend } from '../training/training-backend';
import { syntheticFaces } from './helpers/synthetic-faces';

/** Relative agreement of two golden-section fits with a grid search of the same log loss. */
const TEMPERATURE_TOLERANCE = 0.02;

function baseOptions(overrides: Partial<TrainOptions>): TrainOptions {
  return {
    loss: 'bce',
    epochs: 1,
    batchSize: 16,
    learningRate: 3e-3,
    balanceClasses: true,
    augment: { flip: true, brightness: 0.05, contrast: 0.1 },
    earlyStoppingPatience: 0,
    seed: 5,
    // Dropout masks are not seeded, so runs that must repeat exactly train without dropout.
    dropout: 0,
    ...overrides,
  };
}

describe('trainClassifier', () => {
  let folder = '';
  // Two steps of 16 faces per epoch keep each run to seconds on one core.
  const train = syntheticFaces(32, 1);
  const validation = syntheticFaces(16, 2);

  beforeAll(async () => {
    await activateTrainingBackend('wasm');
    folder = await mkdtemp(path.join(os.tmpdir(), 'train-loop-test-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('learns a separable signal without leaks', async () => {
    const before = tf.memory().numTensors;
    const result = await trainClassifier(train, validation, baseOptions({ epochs: 4, dropout: 0.5 }));
    expect(result.history).toHaveLength(4);
    expect(result.history[3].valAuc).toBeGreaterThan(0.9);
    expect(result.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(result.validationScores).toHaveLength(validation.count);
    expect(rocAuc(result.validationScores, validation.labels)).toBe(result.history[result.bestEpoch - 1].valAuc);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('same seed repeats the run', async () => {
    const first = await trainClassifier(train, validation, baseOptions({}));
    const second = await trainClassifier(train, validation, baseOptions({}));
    expect(second.history[0].loss).toBe(first.history[0].loss);
    expect(second.history[0].valAuc).toBe(first.history[0].valAuc);
    first.model.dispose();
    second.model.dispose();
  });

  it('resumes from a checkpoint', async () => {
    const checkpointDir = path.join(folder, 'resume');
    const uninterrupted = await trainClassifier(train, validation, baseOptions({ epochs: 2 }));
    const firstHalf = await trainClassifier(train, validation, baseOptions({ epochs: 1, checkpointDir }));
    const notices: string[] = [];
    const resumed = await trainClassifier(train, validation, baseOptions({ epochs: 2, checkpointDir, resume: true, onNotice: (message) => notices.push(message) }));
    expect(notices).toEqual([`resuming from the checkpoint in ${checkpointDir} after epoch 1 (best epoch 1)`]);

    expect(resumed.history).toHaveLength(2);
    expect(resumed.history[0]).toEqual(firstHalf.history[0]);
    // Adam slots and the random state come back with the weights, so epoch 2 repeats exactly.
    expect(resumed.history[1].loss).toBeCloseTo(uninterrupted.history[1].loss, 5);
    for (const result of [uninterrupted, firstHalf, resumed]) result.model.dispose();
  });

  it('rejects resuming with other options', async () => {
    const checkpointDir = path.join(folder, 'mismatch');
    const first = await trainClassifier(train, validation, baseOptions({ checkpointDir }));
    first.model.dispose();
    await expect(trainClassifier(train, validation, baseOptions({ epochs: 2, checkpointDir, resume: true, learningRate: 1e-2 }))).rejects.toThrow(/written with other learningRate; delete it/);
  });

  it('embedding loss bakes in a probability head', async () => {
    const result = await trainClassifier(train, validation, baseOptions({ loss: 'triplet', embeddingFitFaces: 32 }));
    expect(result.model.outputs[0].shape).toEqual([null, 1]);
    expect(result.embeddingClassifier?.weights).toHaveLength(512);
    for (const score of result.validationScores) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    result.model.dispose();
  });

  it('reports progress every step', async () => {
    const steps: number[] = [];
    const result = await trainClassifier(train, validation, baseOptions({ onProgress: (progress) => steps.push(progress.step) }));
    expect(steps).toEqual([1, 2]);
    result.model.dispose();
  });

  it('stops at the time budget', async () => {
    const notices: string[] = [];
    const result = await trainClassifier(train, validation, baseOptions({ epochs: 5, timeBudgetSeconds: 0.001, onNotice: (message) => notices.push(message) }));
    // The first step always runs, so the budget ends the first epoch after one step.
    expect(result.history).toHaveLength(1);
    expect(result.history[0].steps).toBe(1);
    expect(notices).toEqual(['time budget used up: epoch 1 ends after 1 step and is validated as it stands', 'time budget used up after epoch 1']);
    result.model.dispose();
  });

  it('rejects a malformed dataset', async () => {
    const broken = { ...train, count: train.count + 1 };
    await expect(trainClassifier(broken, validation, baseOptions({}))).rejects.toThrow(/training set has 33 faces/);
  });
});

describe('training helpers', () => {
  it('epochOrder balances classes', () => {
    const labels = Uint8Array.from([1, 0, 0, 0, 0, 0]);
    const order = epochOrder(labels, true, new SeededRandom(1));
    const fakes = order.filter((index) => labels[index] === 1).length;
    expect(order).toHaveLength(10);
    expect(fakes).toBe(5);
  });

  it('epochOrder without balancing is a permutation', () => {
    const order = epochOrder(Uint8Array.from([1, 0, 0]), false, new SeededRandom(1));
    expect([...order].sort()).toEqual([0, 1, 2]);
  });

  it('augmentFace flips rows', () => {
    const face = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Find a seed whose first draw flips (draw < 0.5).
    const random = new SeededRandom(0);
    while (new SeededRandom(random.getState()).next() >= 0.5) random.next();
    augmentFace(face, 3, { flip: true, brightness: 0, contrast: 0 }, random);
    expect(Array.from(face)).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
  });

  it('augmentFace is reproducible', () => {
    const run = (): number[] => {
      const face = Uint8Array.from({ length: 16 * 16 }, (_, i) => i % 256);
      augmentFace(face, 16, { flip: true, brightness: 0.2, contrast: 0.3, jpegQuality: [30, 60] }, new SeededRandom(9));
      return Array.from(face);
    };
    expect(run()).toEqual(run());
  });

  it('rocAuc of known rankings', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([0.2, 0.3], [1, 1])).toBeNaN();
  });

  it('fitTemperature matches a grid search', () => {
    const random = new SeededRandom(3);
    const probabilities = Array.from({ length: 400 }, () => random.uniform(0.01, 0.99));
    // Labels drawn from softer probabilities than the scores claim, so the best T is above 1.
    const labels = probabilities.map((p) => (random.next() < 0.5 + (p - 0.5) * 0.5 ? 1 : 0));
    const fitted = fitTemperature(probabilities, labels);
    const logits = probabilities.map((p) => Math.log(p / (1 - p)));
    let best = 1;
    for (let t = 0.1; t < 10; t += 0.001) {
      if (logLossAtTemperature(logits, labels, t) < logLossAtTemperature(logits, labels, best)) best = t;
    }
    expect(fitted).toBeGreaterThan(1);
    expect(Math.abs(fitted - best) / best).toBeLessThan(TEMPERATURE_TOLERANCE);
  });
});
