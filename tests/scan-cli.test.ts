import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_FFMPEG, HAS_SHARED_DATA, makeFacelessVideo, makeTempDir, makeVideoFromImage, REPO_ROOT, SHARED_DATA } from './helpers/media';

const FACE_IMAGE = path.join(REPO_ROOT, 'tests/fixtures/astronaut.jpg');
const FFPP_VIDEO = path.join(SHARED_DATA, 'ffpp-c40/original_sequences/youtube/c40/videos/183.mp4');

interface ScanJson {
  file: string;
  model: { name: string } | null;
  backend: string;
  error?: string;
  frames: { index: number; timeSeconds: number; faces: { box: { x: number; y: number; width: number; height: number }; landmarks: number[][]; score: number; fakeProbability: number | null }[] }[];
  verdict: { fakeProbability: number | null; framesWithFaces: number; framesSampled: number };
}

function runScan(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [path.join(REPO_ROOT, 'src/node/scan.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!HAS_FFMPEG)('scan CLI', () => {
  let dir = '';
  let faceVideo = '';
  let facelessVideo = '';

  beforeAll(() => {
    dir = makeTempDir('scan-cli');
    faceVideo = makeVideoFromImage(FACE_IMAGE, path.join(dir, 'astronaut.mp4'), 2, 25);
    facelessVideo = makeFacelessVideo(path.join(dir, 'pattern.mp4'), 1);
  });

  it('scans good and bad files in one run', () => {
    const notVideo = path.join(dir, 'notes.mp4');
    writeFileSync(notVideo, 'plain text, not a video\n');
    const missing = path.join(dir, 'missing.mp4');
    const output = path.join(dir, 'results.json');

    const run = runScan(['--json', '--output', output, '--backend', 'wasm', faceVideo, facelessVideo, notVideo, missing, FACE_IMAGE]);
    // A file that cannot be read makes the exit status non-zero, but every file still gets a result.
    expect(run.status).toBe(1);
    const results = JSON.parse(run.stdout) as ScanJson[];
    expect(results.map((result) => path.basename(result.file))).toEqual(['astronaut.mp4', 'pattern.mp4', 'notes.mp4', 'missing.mp4', 'astronaut.jpg']);
    expect(JSON.parse(readFileSync(output, 'utf8'))).toEqual(results);

    const [face, faceless, text, absent, still] = results;
    expect(face.error).toBeUndefined();
    expect(face.backend).toBe('wasm');
    expect(face.verdict.framesSampled).toBe(10);
    expect(face.verdict.framesWithFaces).toBeGreaterThanOrEqual(9);
    const firstFace = face.frames[0].faces[0];
    expect(firstFace.landmarks).toHaveLength(5);
    expect(firstFace.score).toBeGreaterThan(0.9);
    expect(face.frames[1].index).toBe(5);
    expect(face.frames[1].timeSeconds).toBeCloseTo(0.2, 6);

    // No face is a result, not an error.
    expect(faceless.error).toBeUndefined();
    expect(faceless.verdict.framesWithFaces).toBe(0);
    expect(faceless.verdict.fakeProbability).toBeNull();

    expect(text.error).toMatch(/notes\.mp4: not a readable video or image/);
    expect(absent.error).toMatch(/missing\.mp4: file not found/);
    expect(run.stderr).toMatch(/missing\.mp4: file not found/);

    expect(still.verdict.framesSampled).toBe(1);
    expect(still.verdict.framesWithFaces).toBe(1);
  });

  it('prints a table and exits 0 when all files read', () => {
    const run = runScan(['--max-frames', '2', '--backend', 'wasm', faceVideo, facelessVideo]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^File\s+Frames\s+With faces/m);
    expect(run.stdout).toMatch(/pattern\.mp4\s+2\s+0\s+0\s+-\s+no face found/);
    expect(run.stderr).toMatch(/^Model: /m);
    expect(run.stderr).toMatch(/^Backend: wasm/m);
  });

  it('checks the output folder before scanning', () => {
    const run = runScan(['--output', path.join(dir, 'no-such-folder', 'results.json'), faceVideo]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--output .*no-such-folder.* does not exist or is not writable/);
    expect(run.stderr).not.toMatch(/frames analysed/);
  });

  it('uses the classifier given by --model', () => {
    const card = JSON.parse(readFileSync(path.join(REPO_ROOT, 'models/classifier/card.json'), 'utf8')) as { name: string };
    const run = runScan(['--json', '--model', path.join(REPO_ROOT, 'models/classifier'), FACE_IMAGE]);
    expect(run.status).toBe(0);
    const [result] = JSON.parse(run.stdout) as ScanJson[];
    expect(result.model?.name).toBe(card.name);
    expect(result.frames[0].faces[0].fakeProbability).toBeGreaterThanOrEqual(0);
  });

  it('rejects a model folder without a card', () => {
    const run = runScan(['--model', dir, faceVideo]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--model .*model\.json is missing/);
  });

  it('rejects a bad option value', () => {
    const run = runScan(['--every', '0', faceVideo]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--every.*at least 1/);
  });

  it.skipIf(!HAS_SHARED_DATA || !existsSync(FFPP_VIDEO))('finds a face on most frames of an FF++ video', () => {
    const run = runScan(['--json', '--max-frames', '20', FFPP_VIDEO]);
    expect(run.status).toBe(0);
    const [result] = JSON.parse(run.stdout) as ScanJson[];
    expect(result.verdict.framesSampled).toBe(20);
    expect(result.verdict.framesWithFaces).toBeGreaterThanOrEqual(16);
  });
});
