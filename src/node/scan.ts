#!/usr/bin/env node
import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import * as tf from '@tensorflow/tfjs';
import cliProgress from 'cli-progress';
import { createEngine, type Engine } from '../engine/engine';
import { BAND_LABELS, probabilityBand } from '../engine/bands';
import type { BackendName, ModelFileReader } from '../engine/types';
import { createModelFileReader } from './model-files';
import { formatBackend, formatModel, formatTable } from './scan-report';
import { scanFile, type ScanOptions, type ScanResult } from './scan-file';
import { loadOptionalNativeBackend } from './tf-node';

interface CliOptions {
  every: number;
  maxFrames?: number;
  maxSide: number;
  minFaceSize: number;
  backend?: BackendName;
  json: boolean;
  output?: string;
  model?: string;
  progress: boolean;
}

/** Backends measured at start-up. The plain-JS `cpu` backend took about 35 times as long as WASM on the start-up probe (2-core x86-64), so it runs only when requested. */
const MEASURED_BACKENDS: BackendName[] = ['tensorflow', 'wasm'];
const NODE_BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  }
  return parsed;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError(`expected a whole number of at least 0, got "${value}"`);
  }
  return parsed;
}

/** Folder name under which `--model` is served to the engine; other model paths come from `models/`. */
const CUSTOM_MODEL_FOLDER = 'custom-classifier';

function createCustomModelReader(folder: string): ModelFileReader {
  const bundled = createModelFileReader();
  const custom = createModelFileReader(folder);
  const prefix = `${CUSTOM_MODEL_FOLDER}/`;
  return (relativePath) => (relativePath.startsWith(prefix) ? custom(relativePath.slice(prefix.length)) : bundled(relativePath));
}

/** Fails before any scanning when the JSON output cannot be written, so a long scan is not lost at the end. */
async function checkWritable(file: string): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new Error(`--output ${file}: the folder ${folder} does not exist or is not writable; create it or choose another path`);
  }
}

async function checkModelFolder(folder: string): Promise<void> {
  for (const name of ['model.json', 'card.json']) {
    try {
      await access(path.join(folder, name), constants.R_OK);
    } catch {
      throw new Error(`--model ${folder}: ${name} is missing; pass the folder that train fit exported`);
    }
  }
}

/** Returns the requested backend, else the backends worth measuring: WASM alone without tfjs-node. */
function chooseBackendCandidates(requested: BackendName | undefined, hasNativeBackend: boolean): BackendName[] {
  if (requested) {
    return [requested];
  }
  return hasNativeBackend ? MEASURED_BACKENDS : ['wasm'];
}

function buildCommand(): Command {
  return new Command('scan')
    .description('Find faces in video files or images and estimate how likely each video is a deepfake.')
    .argument('<files...>', 'videos or still images (anything ffmpeg decodes)')
    .option('--every <n>', 'analyse every Nth frame', positiveInteger, 5)
    .option('--max-frames <n>', 'stop after N analysed frames per file (default: the whole video)', positiveInteger)
    .option('--max-side <px>', 'downscale frames so the longer side is at most this many pixels before detection; 0 keeps the source size', nonNegativeInteger, 1280)
    .option('--min-face-size <px>', 'smallest face to look for, in pixels of the (downscaled) frame', positiveInteger, 40)
    .addOption(new Option('--backend <name>', 'TF.js backend to use instead of measuring which is fastest').choices(NODE_BACKENDS))
    .option('--json', 'print the results as JSON on standard output instead of the table', false)
    .option('--output <file>', 'also write the JSON results to this file')
    .option('--model <dir>', 'classifier folder to use instead of the shipped one (model.json, weight shards and card.json, as `train fit` exports them)')
    .option('--no-progress', 'hide the progress bar')
    .showHelpAfterError();
}

async function main(argv: string[]): Promise<number> {
  const command = buildCommand();
  command.parse(argv);
  const files = command.args;
  const options = command.opts<CliOptions>();

  // Production mode drops TF.js's debug checks and its console banner recommending tfjs-node.
  tf.enableProdMode();
  if (options.output) {
    await checkWritable(options.output);
  }
  if (options.model) {
    await checkModelFolder(options.model);
  }

  const hasNativeBackend = await loadOptionalNativeBackend();
  if (options.backend === 'tensorflow' && !hasNativeBackend) {
    throw new Error('--backend tensorflow needs the optional package @tensorflow/tfjs-node (npm install @tensorflow/tfjs-node); without it use wasm or cpu');
  }
  const engine = await createEngine({
    readFile: options.model ? createCustomModelReader(path.resolve(options.model)) : createModelFileReader(),
    classifierFolder: options.model ? CUSTOM_MODEL_FOLDER : undefined,
    backends: chooseBackendCandidates(options.backend, hasNativeBackend),
  });

  try {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    log(formatModel(engine.model));
    log(formatBackend(engine.backend));
    const results = await scanAll(engine, files, options, log);

    const json = results.map((result) => toJson(result, engine));
    if (options.output) {
      await writeFile(options.output, JSON.stringify(json, null, 2) + '\n');
    }
    if (options.json) {
      process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    } else {
      process.stdout.write(formatTable(results, engine.model !== null) + '\n');
    }

    for (const result of results.filter((r) => r.error)) {
      log(`error: ${result.error}`);
    }
    return results.some((result) => result.error) ? 1 : 0;
  } finally {
    engine.dispose();
  }
}

async function scanAll(engine: Engine, files: string[], options: CliOptions, log: (line: string) => void): Promise<ScanResult[]> {
  const showProgress = options.progress && process.stderr.isTTY === true;
  const results: ScanResult[] = [];
  for (const [position, file] of files.entries()) {
    const bar = showProgress ? new cliProgress.SingleBar({ format: `[${position + 1}/${files.length}] {bar} {value}/{total} frames | ETA {eta}s | ${file}`, stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
    bar?.start(1, 0);
    const scanOptions: ScanOptions = {
      every: options.every,
      maxSide: options.maxSide,
      maxFrames: options.maxFrames,
      detector: { minFaceSize: options.minFaceSize },
      onFrame: (done, expected) => {
        bar?.setTotal(Math.max(done, expected ?? done));
        bar?.update(done);
      },
      onWarning: log,
    };
    const result = await scanFile(engine, file, scanOptions);
    bar?.stop();
    if (!showProgress) {
      const frames = result.frames.length === 1 ? '1 frame' : `${result.frames.length} frames`;
      log(result.error ? `[${position + 1}/${files.length}] ${file}: failed` : `[${position + 1}/${files.length}] ${file}: ${frames} analysed`);
    }
    results.push(result);
  }
  return results;
}

function toJson(result: ScanResult, engine: Engine): object {
  const card = engine.model;
  return {
    file: result.file,
    model: card ? { name: card.name, version: card.version, loss: card.loss, metrics: card.metrics } : null,
    backend: engine.backend.name,
    ...(result.error ? { error: result.error } : {}),
    frames: result.frames,
    verdict: {
      fakeProbability: result.verdict.fakeProbability,
      assessment: result.verdict.fakeProbability === null ? null : BAND_LABELS[probabilityBand(result.verdict.fakeProbability)],
      decidingTrackId: result.verdict.decidingTrackId,
      meanProbability: result.verdict.meanProbability,
      framesWithFaces: result.verdict.framesWithFaces,
      framesSampled: result.verdict.framesSampled,
      tracks: result.verdict.tracks,
    },
  };
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`scan failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
