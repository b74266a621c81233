import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceCacheKey, readCachedFaces, writeCachedFaces } from '../training/data/face-cache';
import { cacheKeySettings, DEFAULT_EXTRACTION_SETTINGS, type FacePipeline } from '../training/data/face-extractor';
import { buildSplitDatasets } from '../training/data/face-dataset';
import { prepareFaces } from '../training/data/prepare-faces';
import { readDataset } from '../training/data/read-dataset';
import type { DetectedFace } from '../src/engine/types';

let root: string;
let datasetDir: string;
let cacheDir: string;

/** A detector that reports one face filling the frame, and an aligner that fills the face with the frame's mean red value. */
function fakePipeline(options: { findsFaces: boolean }): FacePipeline & { detectCalls: number } {
  const pipeline = {
    version: 'fake-1',
    detectCalls: 0,
    async detect(image: { width: number; height: number }): Promise<DetectedFace[]> {
      pipeline.detectCalls += 1;
      if (!options.findsFaces) return [];
      const { width, height } = image;
      return [{ box: { x: 0, y: 0, width, height }, score: 0.99, landmarks: [[0.3 * width, 0.4 * height], [0.7 * width, 0.4 * height], [0.5 * width, 0.6 * height], [0.35 * width, 0.8 * height], [0.65 * width, 0.8 * height]] }];
    },
    align(image: { data: Uint8Array | Uint8ClampedArray }, _landmarks: unknown, size: number) {
      let sum = 0;
      for (let i = 0; i < image.data.length; i += 4) sum += image.data[i];
      return { width: size, height: size, data: new Uint8Array(size * size).fill(Math.round(sum / (image.data.length / 4))) };
    },
  };
  return pipeline;
}

function makeVideo(filePath: string, color: string, frames: number): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=64x48:r=25`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', filePath]);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dataset-cache-'));
  datasetDir = path.join(root, 'data');
  cacheDir = path.join(root, 'cache');
  await mkdir(path.join(datasetDir, 'real'), { recursive: true });
  await mkdir(path.join(datasetDir, 'fake'), { recursive: true });
  makeVideo(path.join(datasetDir, 'real', 'red.mp4'), 'red', 20);
  makeVideo(path.join(datasetDir, 'fake', 'blue.mp4'), 'blue', 12);
  await writeFile(path.join(datasetDir, 'fake', 'corrupt.mp4'), 'this is not a video');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('face cache file', () => {
  it('round-trips an entry and drops a damaged one', async () => {
    const dir = path.join(root, 'roundtrip');
    const faces = new Uint8Array(2 * 4 * 4).map((_, i) => i);
    await writeCachedFaces(dir, 'abcdef', { faceSize: 4, count: 2, frameIndices: [0, 5], faces });
    expect(await readCachedFaces(dir, 'abcdef')).toEqual({ faceSize: 4, count: 2, frameIndices: [0, 5], faces });
    expect((await readdir(path.join(dir, 'ab'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    await writeFile(path.join(dir, 'ab', 'abcdef.faces'), Buffer.from('DFFC\x05\x00\x00\x00{"a":'));
    expect(await readCachedFaces(dir, 'abcdef')).toBeNull();
    expect(await readdir(path.join(dir, 'ab'))).toEqual([]);
  });

  it('rejects an entry whose sizes disagree', async () => {
    await expect(writeCachedFaces(path.join(root, 'bad'), 'ff00', { faceSize: 4, count: 2, frameIndices: [0], faces: new Uint8Array(32) })).rejects.toThrow(/face cache/);
  });

  it('changes the key with the settings', async () => {
    const file = path.join(datasetDir, 'real', 'red.mp4');
    expect(await faceCacheKey(file, { every: 5 })).toBe(await faceCacheKey(file, { every: 5 }));
    expect(await faceCacheKey(file, { every: 5 })).not.toBe(await faceCacheKey(file, { every: 3 }));
  });
});

describe('face preparation', () => {
  it('extracts every 5th frame, skips a corrupt video and reuses the cache', async () => {
    const listing = await readDataset(datasetDir);
    const pipeline = fakePipeline({ findsFaces: true });
    let loads = 0;
    const options = {
      settings: { ...DEFAULT_EXTRACTION_SETTINGS, faceSize: 8 },
      cacheDir,
      pipelineVersion: pipeline.version,
      loadPipeline: async (): Promise<FacePipeline> => {
        loads += 1;
        return pipeline;
      },
    };

    const first = await prepareFaces([listing], options);
    expect(first.summary.extracted).toBe(2);
    expect(first.summary.failed).toBe(1);
    expect(first.summary.problems.some((problem) => problem.path.endsWith('corrupt.mp4'))).toBe(true);
    // 20 frames at every 5th: 0, 5, 10, 15; 12 frames: 0, 5, 10.
    expect(first.summary.faces).toBe(7);
    const red = first.prepared.find(({ item }) => item.path.endsWith('red.mp4'));
    expect(red?.faces.frameIndices).toEqual([0, 5, 10, 15]);
    expect(red?.faces.faces[0]).toBeGreaterThan(200);
    expect(pipeline.detectCalls).toBe(7);

    const second = await prepareFaces([listing], options);
    expect(second.summary.fromCache).toBe(2);
    expect(second.summary.extracted).toBe(0);
    expect(loads).toBe(1);
    expect(pipeline.detectCalls).toBe(7);
    expect(second.prepared.map(({ faces }) => faces)).toEqual(first.prepared.map(({ faces }) => faces));

    const split = buildSplitDatasets(second.prepared, { train: 1, validation: 0, test: 0 }, 1);
    expect(split.train.count).toBe(7);
    expect(split.train.images.length).toBe(7 * 64);
    expect([...split.train.labels].sort()).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(new Set(split.train.methods)).toEqual(new Set(['real', 'fake']));
  });

  it('counts videos without a face and goes on', async () => {
    const listing = await readDataset(datasetDir);
    const pipeline = fakePipeline({ findsFaces: false });
    const result = await prepareFaces([listing], {
      settings: { ...DEFAULT_EXTRACTION_SETTINGS, faceSize: 8, everyNthFrame: 4 },
      cacheDir,
      pipelineVersion: 'fake-no-face',
      loadPipeline: async () => pipeline,
    });
    expect(result.summary.withoutFace).toBe(2);
    expect(result.summary.failed).toBe(1);
    expect(result.prepared).toEqual([]);
    expect(result.summary.problems.filter((problem) => problem.message.startsWith('no face'))).toHaveLength(2);
  });

  it('caches box-framed faces apart', async () => {
    const listing = await readDataset(datasetDir);
    const pipeline = fakePipeline({ findsFaces: true });
    const prepare = (framing: typeof DEFAULT_EXTRACTION_SETTINGS.framing) =>
      prepareFaces([listing], {
        settings: { ...DEFAULT_EXTRACTION_SETTINGS, faceSize: 8, framing },
        cacheDir,
        pipelineVersion: pipeline.version,
        loadPipeline: async () => pipeline,
      });
    const redFace = (result: Awaited<ReturnType<typeof prepare>>) => result.prepared.find(({ item }) => item.path.endsWith('red.mp4'))?.faces.faces;

    const aligned = await prepare({ kind: 'aligned' });
    // The fake aligner fills the face with the red channel (255); a box crop samples BT.601 luma of red, about 76.
    expect(redFace(aligned)?.[0]).toBeGreaterThan(200);
    const box = await prepare({ kind: 'box', scale: 1, offsetX: 0, offsetY: 0 });
    expect(box.summary.extracted).toBe(2);
    expect(Math.abs((redFace(box)?.[27] ?? 0) - 76)).toBeLessThanOrEqual(3);
    // A square one box width to the right lies outside the frame, so it is black.
    const outside = await prepare({ kind: 'box', scale: 1, offsetX: 1, offsetY: 0 });
    expect(outside.summary.extracted).toBe(2);
    expect(Math.max(...(redFace(outside) ?? [255]))).toBe(0);
    const again = await prepare({ kind: 'box', scale: 1, offsetX: 0, offsetY: 0 });
    expect(again.summary.fromCache).toBe(2);
  });
});

describe('cache key settings', () => {
  const video = { kind: 'video' as const, path: 'a.mp4' };
  const image = { kind: 'image' as const, path: 'a.jpg' };
  it('keys only face-changing settings', () => {
    const box = { ...DEFAULT_EXTRACTION_SETTINGS, framing: { kind: 'box' as const, scale: 0.9, offsetX: 0.013, offsetY: 0.042 } };
    expect(cacheKeySettings(DEFAULT_EXTRACTION_SETTINGS, video as never)).not.toHaveProperty('framing');
    expect(cacheKeySettings(box, video as never)).toMatchObject({ framing: 'box:0.9,0.013,0.042' });
    expect(cacheKeySettings(box, image as never)).toMatchObject({ framing: 'box:0.9,0.013,0.042' });
    expect(cacheKeySettings({ ...box, cropMode: 'whole' }, image as never)).not.toHaveProperty('framing');
    expect(cacheKeySettings({ ...box, cropMode: 'whole' }, video as never)).toEqual(cacheKeySettings({ ...box, cropMode: 'detect' }, video as never));
    expect(cacheKeySettings({ ...box, cropMode: 'whole' }, image as never)).not.toEqual(cacheKeySettings({ ...box, cropMode: 'detect' }, image as never));
    expect(cacheKeySettings({ ...box, everyNthFrame: 25 }, image as never)).toEqual(cacheKeySettings(box, image as never));
    expect(cacheKeySettings({ ...box, everyNthFrame: 25 }, video as never)).not.toEqual(cacheKeySettings(box, video as never));
  });
});
