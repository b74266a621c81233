#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import * as tf from '@tensorflow/tfjs';
import cliProgress from 'cli-progress';
import { createEngine, type Engine } from '../engine/engine';
import type { BackendName } from '../engine/types';
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
  await loadOptionalNativeBackend();
  const engine = await createEngine({
    readFile: createModelFileReader(),
    backends: options.backend ? [options.backend] : MEASURED_BACKENDS,
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
      log(result.error ? `[${position + 1}/${files.length}] ${file}: failed` : `[${position + 1}/${files.length}] ${file}: ${result.frames.length} frames analysed`);
    }
    results.push(result);
  }
  return results;
}

function toJson(result: ScanResult, engine: Engine): object {
  const card = engine.model;
  return {
    file: result.file,
    model: card ? { name: card.name, version: card.version, loss: card.loss } : null,
    backend: engine.backend.name,
    ...(result.error ? { error: result.error } : {}),
    frames: result.frames,
    verdict: {
      fakeProbability: result.verdict.fakeProbability,
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
