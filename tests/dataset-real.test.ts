import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../src/engine/classifier';
import { loadEnginePipeline } from '../training/data/engine-face-pipeline';
import { DEFAULT_EXTRACTION_SETTINGS } from '../training/data/face-extractor';
import { prepareFaces } from '../training/data/prepare-faces';
import { readDataset } from '../training/data/read-dataset';
import { assignSplits } from '../training/data/split';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');
const hasData = existsSync(path.join(DATA_DIR, 'ffpp-c40')) && existsSync(path.join(DATA_DIR, 'dfdc-faces')) && existsSync(path.join(DATA_DIR, 'dfdc-sample'));
if (!hasData) console.warn(`dataset-real: skipped, research data not found at ${DATA_DIR}`);

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'dataset-real-'));
  if (hasData) await tf.setBackend('wasm');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasData)('real datasets', () => {
  it('reads the FaceForensics++ subset', async () => {
    const listing = await readDataset(path.join(DATA_DIR, 'ffpp-c40'));
    expect(listing.layout).toBe('ffpp');
    expect(listing.problems).toEqual([]);
    expect(listing.items.filter((item) => item.label === 0)).toHaveLength(20);
    const methods = new Map<string, number>();
    for (const item of listing.items) methods.set(item.method, (methods.get(item.method) ?? 0) + 1);
    expect(Object.fromEntries(methods)).toEqual({ real: 20, Deepfakes: 10, Face2Face: 10, FaceSwap: 10, NeuralTextures: 10 });

    // No identity on two sides of the split, for several seeds.
    for (const seed of [1, 2, 3]) {
      const splits = assignSplits(listing.items.map((item) => ({ identities: item.identities, weight: 1, hasOfficialTestSplit: false })), { train: 0.6, validation: 0.2, test: 0.2 }, seed);
      const sideOf = new Map<string, string>();
      listing.items.forEach((item, index) => {
        for (const identity of item.identities) {
          expect(sideOf.get(identity) ?? splits[index], `${identity} seed ${seed}`).toBe(splits[index]);
          sideOf.set(identity, splits[index]);
        }
      });
      expect(new Set(splits).size).toBe(3);
    }
  });

  it('reads the DFDC crops and sample', async () => {
    const crops = await readDataset(path.join(DATA_DIR, 'dfdc-faces'));
    expect(crops.layout).toBe('folders');
    expect(crops.items).toHaveLength(24_000);
    expect(crops.problems).toEqual([]);
    const groupsOfReals = new Set(crops.items.filter((item) => item.label === 0).map((item) => item.identities[0]));
    const orphanFakes = crops.items.filter((item) => item.label === 1 && !groupsOfReals.has(item.identities[0]));
    expect(orphanFakes).toHaveLength(0);

    const sample = await readDataset(path.join(DATA_DIR, 'dfdc-sample'));
    expect(sample.layout).toBe('dfdc');
    expect(sample.items.map((item) => item.label)).toEqual([1, 1]);
    expect(sample.problems.map((problem) => problem.message)).toEqual(['dataset reader: dfdc dataset has no real videos; train it together with a dataset that has them']);
  });

  it('extracts faces from a video with MTCNN', async () => {
    const listing = await readDataset(path.join(DATA_DIR, 'ffpp-c40'));
    const one = { ...listing, items: listing.items.filter((item) => item.videoId.endsWith('youtube/c40/videos/183.mp4')) };
    expect(one.items).toHaveLength(1);
    let loads = 0;
    const options = {
      settings: { ...DEFAULT_EXTRACTION_SETTINGS, maxFramesPerVideo: 2 },
      cacheDir: path.join(work, 'cache'),
      pipelineVersion: 'test',
      loadPipeline: () => {
        loads += 1;
        return loadEnginePipeline();
      },
    };
    const first = await prepareFaces([one], options);
    expect(first.summary.faces).toBe(2);
    expect(first.prepared[0].faces.frameIndices).toEqual([0, 5]);
    // A face is not a flat image: the aligned crop has real contrast.
    const face = first.prepared[0].faces.faces.subarray(0, 128 * 128);
    expect(Math.max(...face) - Math.min(...face)).toBeGreaterThan(100);

    const second = await prepareFaces([one], options);
    expect(second.summary.fromCache).toBe(1);
    expect(loads).toBe(1);
  });

  it('fits on real DFDC crops', () => {
    // 20 source groups: each real crop with one fake made from it, linked into a small set.
    const rows = readFileSync(path.join(DATA_DIR, 'dfdc-faces', 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const reals = new Map(rows.filter(([, label]) => label === 'REAL').map(([file]) => [path.basename(file, '.jpg'), file]));
    const pairs = rows.filter(([, label, original]) => label === 'FAKE' && reals.has(path.basename(original, '.mp4'))).slice(0, 20);
    const subset = path.join(work, 'dfdc-subset');
    mkdirSync(path.join(subset, 'real'), { recursive: true });
    mkdirSync(path.join(subset, 'fake'), { recursive: true });
    const csv = ['path,label,original'];
    for (const [fake, , original] of pairs) {
      const real = reals.get(path.basename(original, '.mp4')) as string;
      symlinkSync(path.join(DATA_DIR, 'dfdc-faces', real), path.join(subset, real));
      symlinkSync(path.join(DATA_DIR, 'dfdc-faces', fake), path.join(subset, fake));
      csv.push(`${real},REAL,`, `${fake},FAKE,${original}`);
    }
    writeFileSync(path.join(subset, 'labels.csv'), `${csv.join('\n')}\n`);

    const out = path.join(work, 'model');
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const run = spawnSync(
      tsx,
      [path.join(REPO_ROOT, 'training', 'cli.ts'), 'fit', '--data', subset, '--cache-dir', path.join(work, 'cache'), '--epochs', '1', '--batch-size', '8', '--split', '60,20,20', '--out', out, '--checkpoint-dir', path.join(work, 'checkpoints'), '--backend', 'wasm'],
      { cwd: work, encoding: 'utf8', timeout: 600_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    // MTCNN misses a face in about one tight crop of 40, which the summary counts and skips.
    const summary = /40 files in \S+: (\d+) faces, .* (\d+) without a face/.exec(run.stderr);
    expect(summary, run.stderr).not.toBeNull();
    const faces = Number(summary?.[1]);
    expect(faces).toBeGreaterThanOrEqual(36);
    expect(faces + Number(summary?.[2])).toBe(40);
    const card = JSON.parse(readFileSync(path.join(out, 'card.json'), 'utf8')) as ModelCard;
    expect(card.metrics?.faces).toBeGreaterThan(0);
    expect(card.datasets[0].faces.train + card.datasets[0].faces.validation + (card.datasets[0].faces.test ?? 0)).toBe(faces);
  });
});
