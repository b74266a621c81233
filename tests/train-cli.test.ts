import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../src/engine/classifier';
import { loadClassifierFromFolder, predictFaces } from '../training/commands/predict-faces';
import { writeSyntheticFaceSet } from './fixtures/datasets/synthetic-faces';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

let work: string;
let dataDir: string;

/** Runs the train CLI the way `npm run train --` does and returns its exit code and output. */
function runTrain(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, [path.join(REPO_ROOT, 'training', 'cli.ts'), ...args], { cwd: work, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Options every run shares: the tiny set, used whole, with a private cache. */
function dataArgs(): string[] {
  return ['--data', dataDir, '--crop-mode', 'whole', '--cache-dir', path.join(work, 'cache'), '--split', '50,25,25', '--seed', '3'];
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'train-cli-'));
  dataDir = path.join(work, 'tiny');
  writeSyntheticFaceSet(dataDir, 24);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('train fit', () => {
  it('writes model, card, charts and split', async () => {
    const out = path.join(work, 'model');
    const run = runTrain(['fit', ...dataArgs(), '--loss', 'bce', '--epochs', '1', '--batch-size', '8', '--out', out, '--checkpoint-dir', path.join(work, 'checkpoints'), '--backend', 'wasm']);
    expect(run.stderr).toContain('train split: 24 files');
    expect(run.stderr).toContain('calibration was fitted on 12 validation faces');
    expect(run.status, run.stderr).toBe(0);

    for (const file of ['model.json', 'card.json', 'report/report.json', 'report/report.md', 'report/roc.png', 'report/loss.png', 'report/split.json']) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(PNG.sync.read(readFileSync(path.join(out, 'report/roc.png'))).width).toBeGreaterThan(0);

    const card = JSON.parse(readFileSync(path.join(out, 'card.json'), 'utf8')) as ModelCard;
    expect(card.loss).toBe('bce');
    expect(card.trained).toBe(true);
    // Crops taken whole without --framing give the face-crop box framing to video faces and the card.
    expect(run.stderr).toContain('--crop-mode whole: detected faces and the model card use box framing');
    expect(card.input).toEqual({ width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face', framing: { kind: 'box', scale: 0.9, offsetX: 0.013, offsetY: 0.042 } });
    expect(Number.isNaN(Date.parse(card.createdAt))).toBe(false);
    expect(card.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(card.split).toEqual({ unit: 'identity group', validationFraction: 0.25, testFraction: 0.25, seed: 3 });
    expect(card.datasets).toHaveLength(1);
    expect(card.datasets[0].faces).toEqual({ train: 24, validation: 12, test: 12 });
    expect(card.calibration?.method).toBe('temperature');
    const temperature = card.calibration?.method === 'temperature' ? card.calibration.temperature : Number.NaN;
    expect(temperature).toBeGreaterThan(0);
    expect(card.metrics?.split).toBe('test');
    expect(card.metrics?.faces).toBe(12);
    expect(card.metrics?.auc).toBeGreaterThanOrEqual(0);
    expect(card.metrics?.auc).toBeLessThanOrEqual(1);
    expect(card.metrics?.epochs).toBe(1);
    expect(card.metrics?.videos).toBe(12);
    for (const auc of [card.metrics?.videoAuc, card.metrics?.validationAuc, card.metrics?.validationVideoAuc]) {
      expect(auc).toBeGreaterThanOrEqual(0);
      expect(auc).toBeLessThanOrEqual(1);
    }

    // Identity groups: each real sN and its fake sN sit in one split.
    const split = JSON.parse(readFileSync(path.join(out, 'report/split.json'), 'utf8')) as { videoIds: Record<string, string[]> };
    for (const [name, ids] of Object.entries(split.videoIds)) {
      for (const id of ids.filter((value) => value.includes('/real/'))) {
        expect(ids, `${name} holds the fake of ${id}`).toContain(id.replace('real/', 'fake/'));
      }
    }

    // The exported folder loads in the engine and scores faces.
    await tf.setBackend('wasm');
    const classifier = await loadClassifierFromFolder(out);
    const faces = tf.zeros([2, 128, 128, 1]) as tf.Tensor4D;
    const scores = await classifier.predict(faces);
    faces.dispose();
    classifier.dispose();
    expect(scores).toHaveLength(2);
    expect(scores[0]).toBeGreaterThanOrEqual(0);
    expect(scores[0]).toBeLessThanOrEqual(1);
  });

  it('predicts batches without leaking tensors', async () => {
    await tf.setBackend('wasm');
    const classifier = await loadClassifierFromFolder(path.join(work, 'model'));
    // 300 faces span two prediction batches of 256.
    const count = 300;
    const dataset = { images: new Uint8Array(count * 128 * 128).map((_, i) => i % 251), labels: new Uint8Array(count), count, videoIds: new Array<string>(count).fill('v'), methods: new Array<string>(count).fill('real') };
    const before = tf.memory().numTensors;
    const scores = await predictFaces(classifier, dataset);
    expect(tf.memory().numTensors).toBe(before);
    classifier.dispose();
    expect(scores).toHaveLength(count);
    expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
  });

  it('stores Platt calibration on request', () => {
    const out = path.join(work, 'platt');
    const run = runTrain(['fit', ...dataArgs(), '--epochs', '1', '--batch-size', '8', '--calibration', 'platt', '--out', out, '--checkpoint-dir', path.join(work, 'checkpoints-platt'), '--backend', 'wasm']);
    expect(run.status, run.stderr).toBe(0);
    const card = JSON.parse(readFileSync(path.join(out, 'card.json'), 'utf8')) as ModelCard;
    expect(card.calibration?.method).toBe('platt');
    const intercept = card.calibration?.method === 'platt' ? card.calibration.intercept : Number.NaN;
    expect(Number.isFinite(intercept)).toBe(true);
    expect(readFileSync(path.join(out, 'report', 'report.md'), 'utf8')).toContain('The card stores the platt calibration.');
  });

  it('rejects a folder in no known layout', () => {
    const unknown = path.join(work, 'unknown');
    mkdirSync(path.join(unknown, 'clips'), { recursive: true });
    const run = runTrain(['fit', '--data', unknown, '--epochs', '1', '--out', path.join(work, 'never')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`"${unknown}" is in no known layout`);
    expect(existsSync(path.join(work, 'never'))).toBe(false);
  });

  it('refuses to overwrite the shipped model', () => {
    const shippedCard = path.join(REPO_ROOT, 'models', 'classifier', 'card.json');
    const before = readFileSync(shippedCard, 'utf8');
    const run = runTrain(['fit', '--data', dataDir, '--epochs', '1', '--out', path.join(REPO_ROOT, 'models', 'classifier')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is the shipped default model');
    expect(readFileSync(shippedCard, 'utf8')).toBe(before);
  });

  it('refuses the shipped model through a symbolic link', () => {
    const link = path.join(work, 'shipped-link');
    symlinkSync(path.join(REPO_ROOT, 'models', 'classifier'), link);
    const run = runTrain(['fit', '--data', dataDir, '--epochs', '1', '--out', link]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is the shipped default model');
  });

  it('rejects an invalid split', () => {
    const run = runTrain(['fit', '--data', dataDir, '--split', '70,30']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('expected three non-negative numbers');
  });

  it('help names units', () => {
    const run = runTrain(['fit', '--help']);
    expect(run.status).toBe(0);
    // commander wraps help at the terminal width, so compare with whitespace collapsed.
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--min-face <px> smallest face side the detector looks for, in source pixels');
    expect(help).toContain('--learning-rate <rate> Adam learning rate');
    expect(help).toContain('--resume');
  });
});

describe('train evaluate and compare', () => {
  it('evaluates the saved test split', () => {
    const out = path.join(work, 'model');
    expect(existsSync(path.join(out, 'model.json')), 'the fit test runs first').toBe(true);
    const run = runTrain(['evaluate', '--model', out, ...dataArgs(), '--subset', 'test', '--report-dir', path.join(work, 'evaluation'), '--backend', 'wasm']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('36 files outside the saved test split skipped, 12 of 48 kept');
    expect(run.stdout).toContain('12 faces from 12 files (videos or images)');
    expect(run.stdout).toMatch(/\| AUC \| \d+\.\d\d % \|/);
    expect(existsSync(path.join(work, 'evaluation', 'roc.png'))).toBe(true);
  });

  it('evaluates in the training crop mode', () => {
    const run = runTrain(['evaluate', '--model', path.join(work, 'model'), '--data', dataDir, '--cache-dir', path.join(work, 'cache'), '--subset', 'test', '--backend', 'wasm']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('image crop mode whole, as the model was trained');
    expect(run.stdout).toContain('12 faces from 12 files');
  });

  it('evaluates two combined datasets', () => {
    const second = path.join(work, 'second');
    writeSyntheticFaceSet(second, 4);
    const run = runTrain(['evaluate', '--model', path.join(work, 'model'), '--data', dataDir, '--data', second, '--crop-mode', 'whole', '--cache-dir', path.join(work, 'cache'), '--backend', 'wasm']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${second}: folders layout, 8 files`);
    expect(run.stdout).toContain('56 faces from 56 files (videos or images)');
  });

  it('writes the per-loss table', () => {
    const table = path.join(work, 'compare.md');
    const run = runTrain(['compare', ...dataArgs(), '--losses', 'bce,contrastive', '--epochs', '1', '--batch-size', '8', '--embedding-fit-faces', '24', '--out', path.join(work, 'compare'), '--table', table, '--backend', 'wasm']);
    expect(run.status, run.stderr).toBe(0);
    const text = readFileSync(table, 'utf8');
    expect(text).toMatch(/\| bce \| \d+\.\d\d % \| \d+\.\d\d % \|/);
    expect(text).toMatch(/\| contrastive \| \d+\.\d\d % \|/);
    expect(text).toContain('| 89.08 % | 75.58 % |');
    expect(existsSync(path.join(work, 'compare', 'contrastive', 'card.json'))).toBe(true);
  });
});
