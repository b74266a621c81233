/**
 * Engine benchmark: MTCNN milliseconds per 640x360 video frame and AlexNet milliseconds per face
 * on each TF.js backend that runs in Node, with face-api.js's MTCNN and PyTorch's AlexNet as the
 * anchors. Prints Markdown for docs/benchmarks.md.
 *
 *   npm run bench:engine -- [--video FILE] [--frames N] [--every K] [--backends wasm,cpu]
 *
 * To add a measurement, write a function of type `Measurement` and append it to the list built
 * in `main`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { DEFAULT_MTCNN_CONFIG, type Mtcnn, type MtcnnConfig, createMtcnn } from '../src/engine/mtcnn';
import { finalizeCandidates } from '../src/engine/mtcnn/onet';
import { proposeCandidates } from '../src/engine/mtcnn/pnet';
import { computePyramid } from '../src/engine/mtcnn/pyramid';
import { normalizeRgba } from '../src/engine/mtcnn/resize';
import { refineCandidates } from '../src/engine/mtcnn/rnet';
import { disposeMtcnnParams, loadMtcnnParams } from '../src/engine/mtcnn/weights';
import type { Box, DetectedFace, ModelFileReader, RgbaImage } from '../src/engine/types';
import { createModelFileReader } from '../src/node/model-files';
import { measureAlexNet } from './alexnet-measurement';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DEFAULT_VIDEO = path.resolve(
  REPO_ROOT,
  '..',
  'shared',
  'data',
  'ffpp-c40',
  'original_sequences',
  'youtube',
  'c40',
  'videos',
  '183.mp4',
);
const REFERENCE_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'mtcnn-reference');
const FRAME_WIDTH = 640;
const FRAME_HEIGHT = 360;
/** Untimed runs per backend before timing, so one-off costs (weight upload, XNNPACK setup) are excluded. */
const WARM_UP_RUNS = 2;
/** IoU above which two boxes count as the same face when detections are compared. */
const SAME_FACE_IOU = 0.5;

/**
 * face-api.js MTCNN on 640x360 frames, measured in headless Chromium on this project's 2-core
 * development machine and quoted here. face-api.js cannot run MTCNN in plain Node because it
 * cuts the R-Net and O-Net inputs with canvas `getImageData`, `createImageBitmap` and
 * `drawImage`, which Node lacks without a native canvas package.
 */
const FACE_API_ANCHOR = [
  { backend: 'webgl (headless Chromium)', msPerFrame: 1658 },
  { backend: 'cpu (headless Chromium)', msPerFrame: 1877 },
];

/** Inputs shared by all measurements. */
export interface BenchContext {
  frames: RgbaImage[];
  readFile: ModelFileReader;
  backends: string[];
}

/** One row of the results table. */
export interface MeasurementRow {
  measurement: string;
  backend: string;
  /** Median wall-clock milliseconds per unit. */
  medianMs: number;
  /** Mean wall-clock milliseconds per unit. */
  meanMs: number;
  /** Mean CPU milliseconds of this process per unit (user + system), less sensitive to other load. */
  cpuMs: number;
  unit: string;
  note: string;
}

/** A benchmark step: returns table rows and optional text printed after the table. */
export type Measurement = (context: BenchContext) => Promise<{ rows: MeasurementRow[]; notes: string[] }>;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      video: { type: 'string', default: DEFAULT_VIDEO },
      frames: { type: 'string', default: '10' },
      every: { type: 'string', default: '10' },
      backends: { type: 'string', default: 'wasm,cpu' },
    },
  });
  const frameCount = parsePositiveInteger('--frames', values.frames as string);
  const every = parsePositiveInteger('--every', values.every as string);
  const video = values.video as string;

  const frames = await decodeFrames(video, frameCount, every);
  const context: BenchContext = {
    frames,
    readFile: createModelFileReader(),
    backends: (values.backends as string).split(',').filter((name) => name.length > 0),
  };

  console.log(`Command: npm run bench:engine -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, TF.js ${tf.version.tfjs}`);
  // Other processes on a shared machine inflate wall time, so the load goes with the figures.
  console.log(`Load average at start (1, 5, 15 min): ${os.loadavg().map((load) => load.toFixed(2)).join(', ')}`);
  console.log(`Date: ${new Date().toISOString()}`);
  console.log(`Input: ${frames.length} frames (every ${every}th) of ${path.basename(video)}, scaled to ${FRAME_WIDTH}x${FRAME_HEIGHT}`);
  console.log('');

  // Each measurement appends rows to one table.
  const measurements: Measurement[] = [measureMtcnn, measureMtcnnStages, measureReferenceAgreement, measureAlexNet];
  const rows: MeasurementRow[] = [];
  const notes: string[] = [];
  for (const measurement of measurements) {
    const result = await measurement(context);
    rows.push(...result.rows);
    notes.push(...result.notes);
  }
  printTable(rows);
  console.log('');
  for (const note of notes) {
    console.log(note);
  }
}

/**
 * Detector settings timed on the WASM backend. The default is timed on every backend; the
 * larger minimum face shows the cost of the smallest pyramid levels.
 */
const WASM_EXTRA_CONFIGS: Array<{ label: string; config: Partial<MtcnnConfig> }> = [
  { label: 'minFaceSize 40', config: { minFaceSize: 40 } },
];

/** Times MTCNN per frame on every requested backend and compares the faces found. */
const measureMtcnn: Measurement = async (context) => {
  const rows: MeasurementRow[] = [];
  const notes: string[] = [];
  const detections = new Map<string, DetectedFace[][]>();

  for (const backend of context.backends) {
    if (!(await tf.setBackend(backend))) {
      notes.push(`MTCNN on ${backend}: the backend failed to start, so it was skipped.`);
      continue;
    }
    await tf.ready();
    const mtcnn = await createMtcnn(context.readFile);
    try {
      const configs = [{ label: 'default', config: {} }, ...(backend === 'wasm' ? WASM_EXTRA_CONFIGS : [])];
      for (const { label, config } of configs) {
        const timing = await timeDetector(mtcnn, context.frames, config);
        if (label === 'default') {
          detections.set(backend, timing.faces);
        }
        const faceCount = timing.faces.reduce((sum, faces) => sum + faces.length, 0);
        rows.push({
          measurement: `MTCNN (this project), ${label}`,
          backend,
          medianMs: median(timing.wallMs),
          meanMs: mean(timing.wallMs),
          cpuMs: timing.cpuMs / context.frames.length,
          unit: 'frame',
          note: `${faceCount} faces in ${timing.faces.length} frames`,
        });
      }
    } finally {
      mtcnn.dispose();
    }
  }

  for (const anchor of FACE_API_ANCHOR) {
    rows.push({
      measurement: 'MTCNN (face-api.js, quoted)',
      backend: anchor.backend,
      medianMs: anchor.msPerFrame,
      meanMs: Number.NaN,
      cpuMs: Number.NaN,
      unit: 'frame',
      note: 'measured earlier, not run by this script',
    });
  }

  const [first, ...others] = [...detections.keys()];
  for (const other of others) {
    notes.push(compareDetections(first, detections.get(first) ?? [], other, detections.get(other) ?? []));
  }
  return { rows, notes };
};

/**
 * Compares detections on the conformance image with its stored expected faces, the stand-in
 * for a side-by-side run of face-api.js, which cannot run here.
 */
const measureReferenceAgreement: Measurement = async (context) => {
  const expectedFile = path.join(REFERENCE_DIR, 'expected.json');
  if (!existsSync(expectedFile)) {
    return { rows: [], notes: [`Reference comparison skipped: ${expectedFile} is missing.`] };
  }
  const reference = JSON.parse(await readFile(expectedFile, 'utf8')) as {
    image: string;
    minFaceSize: number;
    faces: Array<{ box: Box; landmarks: Array<[number, number]> }>;
  };
  const decoded = jpeg.decode(await readFile(path.join(REFERENCE_DIR, reference.image)), {
    useTArray: true,
    formatAsRGBA: true,
  });
  await tf.setBackend('wasm');
  const mtcnn = await createMtcnn(context.readFile);
  let faces: DetectedFace[];
  try {
    faces = await mtcnn.detect(
      { width: decoded.width, height: decoded.height, data: decoded.data },
      { minFaceSize: reference.minFaceSize },
    );
  } finally {
    mtcnn.dispose();
  }

  let matched = 0;
  let maxBoxError = 0;
  let maxLandmarkError = 0;
  for (const expected of reference.faces) {
    const found = faces.find((face) => computeIou(face.box, expected.box) > SAME_FACE_IOU);
    if (found === undefined) {
      continue;
    }
    matched += 1;
    maxBoxError = Math.max(
      maxBoxError,
      Math.abs(found.box.x - expected.box.x),
      Math.abs(found.box.y - expected.box.y),
      Math.abs(found.box.width - expected.box.width),
      Math.abs(found.box.height - expected.box.height),
    );
    expected.landmarks.forEach(([x, y], k) => {
      maxLandmarkError = Math.max(maxLandmarkError, Math.hypot(found.landmarks[k][0] - x, found.landmarks[k][1] - y));
    });
  }
  return {
    rows: [],
    notes: [
      `Reference image ${reference.image}: ${matched} of ${reference.faces.length} expected faces found ` +
        `(${faces.length} detected), largest box difference ${maxBoxError.toFixed(1)} px, ` +
        `largest landmark distance ${maxLandmarkError.toFixed(1)} px.`,
    ],
  };
};

/**
 * Splits the default detector's CPU time per frame into its three stages on the WASM backend,
 * with the mean number of candidates each stage passes on.
 */
const measureMtcnnStages: Measurement = async (context) => {
  if (!context.backends.includes('wasm') || !(await tf.setBackend('wasm'))) {
    return { rows: [], notes: ['MTCNN stage split skipped: it runs on the wasm backend only.'] };
  }
  const params = await loadMtcnnParams(context.readFile);
  const [pnetThreshold, rnetThreshold, onetThreshold] = DEFAULT_MTCNN_CONFIG.scoreThresholds;
  const cpuMs = [0, 0, 0];
  const candidates = [0, 0, 0];
  try {
    for (let run = -WARM_UP_RUNS; run < context.frames.length; run++) {
      const frame = context.frames[Math.max(run, 0)];
      const image = normalizeRgba(frame);
      const levels = computePyramid(frame.width, frame.height, DEFAULT_MTCNN_CONFIG.minFaceSize, DEFAULT_MTCNN_CONFIG.scaleFactor);
      const start = readCpuMs();
      const proposals = await proposeCandidates(image, levels, params.pnet, pnetThreshold);
      const afterPNet = readCpuMs();
      const refined = await refineCandidates(image, proposals, params.rnet, rnetThreshold);
      const afterRNet = readCpuMs();
      const faces = await finalizeCandidates(image, refined, params.onet, onetThreshold);
      const afterONet = readCpuMs();
      if (run < 0) {
        continue;
      }
      cpuMs[0] += afterPNet - start;
      cpuMs[1] += afterRNet - afterPNet;
      cpuMs[2] += afterONet - afterRNet;
      candidates[0] += proposals.length;
      candidates[1] += refined.length;
      candidates[2] += faces.length;
    }
  } finally {
    disposeMtcnnParams(params);
  }
  const frames = context.frames.length;
  const stages = ['P-Net', 'R-Net', 'O-Net'];
  return {
    rows: [],
    notes: [
      'MTCNN stages on wasm, default settings, CPU ms per frame (candidates passed on): ' +
        stages.map((stage, i) => `${stage} ${(cpuMs[i] / frames).toFixed(1)} (${(candidates[i] / frames).toFixed(1)})`).join(', ') +
        '.',
    ],
  };
};

function readCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs the detector over all frames after warm-up runs and returns per-frame wall times and faces. */
async function timeDetector(
  mtcnn: Mtcnn,
  frames: RgbaImage[],
  config: Partial<MtcnnConfig>,
): Promise<{ wallMs: number[]; cpuMs: number; faces: DetectedFace[][] }> {
  for (let run = 0; run < WARM_UP_RUNS; run++) {
    await mtcnn.detect(frames[run % frames.length], config);
  }
  const wallMs: number[] = [];
  const faces: DetectedFace[][] = [];
  const cpuStart = process.cpuUsage();
  for (const frame of frames) {
    const start = performance.now();
    faces.push(await mtcnn.detect(frame, config));
    wallMs.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, faces };
}

/** Summarizes how well two backends' detections agree, frame by frame. */
function compareDetections(nameA: string, framesA: DetectedFace[][], nameB: string, framesB: DetectedFace[][]): string {
  let matched = 0;
  let unmatched = 0;
  let maxCornerShift = 0;
  framesA.forEach((facesA, index) => {
    const facesB = framesB[index] ?? [];
    for (const face of facesA) {
      const partner = facesB.find((candidate) => computeIou(face.box, candidate.box) > SAME_FACE_IOU);
      if (partner === undefined) {
        unmatched += 1;
        continue;
      }
      matched += 1;
      maxCornerShift = Math.max(
        maxCornerShift,
        Math.abs(face.box.x - partner.box.x),
        Math.abs(face.box.y - partner.box.y),
        Math.abs(face.box.width - partner.box.width),
        Math.abs(face.box.height - partner.box.height),
      );
    }
    unmatched += Math.max(0, facesB.length - facesA.length);
  });
  return (
    `Boxes ${nameA} vs ${nameB}: ${matched} faces matched (IoU > ${SAME_FACE_IOU}), ${unmatched} unmatched, ` +
    `largest difference of x, y, width or height ${maxCornerShift.toFixed(2)} px.`
  );
}

function computeIou(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) {
    return 0;
  }
  const intersection = width * height;
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

/** Decodes every `every`-th frame of a video with ffmpeg, scaled to 640x360 RGBA. */
async function decodeFrames(video: string, count: number, every: number): Promise<RgbaImage[]> {
  const frameBytes = FRAME_WIDTH * FRAME_HEIGHT * 4;
  const args = [
    '-loglevel', 'error',
    '-i', video,
    '-vf', `select=not(mod(n\\,${every})),scale=${FRAME_WIDTH}:${FRAME_HEIGHT}`,
    '-vsync', 'vfr',
    '-frames:v', String(count),
    '-f', 'rawvideo',
    '-pix_fmt', 'rgba',
    '-',
  ];
  const chunks: Buffer[] = [];
  let stderr = '';
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  ffmpeg.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  ffmpeg.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    ffmpeg.on('error', (error) => reject(new Error(`bench: ffmpeg failed to start (${error.message}). Install it with npm run setup`)));
    ffmpeg.on('close', resolve);
  });
  if (exitCode !== 0) {
    throw new Error(`bench: ffmpeg exited with code ${exitCode} on ${video}: ${stderr.trim().slice(0, 500)}`);
  }
  const raw = Buffer.concat(chunks);
  const frames: RgbaImage[] = [];
  for (let offset = 0; offset + frameBytes <= raw.length; offset += frameBytes) {
    frames.push({ width: FRAME_WIDTH, height: FRAME_HEIGHT, data: new Uint8Array(raw.subarray(offset, offset + frameBytes)) });
  }
  if (frames.length === 0) {
    throw new Error(`bench: ffmpeg decoded no frames from ${video}. Check that the file is a video`);
  }
  return frames;
}

function printTable(rows: MeasurementRow[]): void {
  console.log('| measurement | backend | median ms | mean ms | CPU ms | per | note |');
  console.log('| --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${row.measurement} | ${row.backend} | ${formatMs(row.medianMs)} | ${formatMs(row.meanMs)} | ${formatMs(row.cpuMs)} | ${row.unit} | ${row.note} |`,
    );
  }
}

function formatMs(value: number): string {
  return Number.isNaN(value) ? '–' : value.toFixed(1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function parsePositiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`bench: ${flag} ${text} is invalid. Give a positive integer`);
  }
  return value;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
