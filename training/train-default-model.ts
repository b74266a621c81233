/**
 * Trains and exports the default classifier (`models/classifier/`): the BCE AlexNet on a DFDC
 * face-crop set, validated on held-out source groups.
 *
 *   npx tsx training/train-default-model.ts --data ../shared/data/dfdc-faces --out models/classifier
 *
 * Add `--resume` to continue from the checkpoint folder after an interruption. When `--epochs`
 * is no higher than the number of epochs already finished, the run only exports the best
 * checkpoint.
 */
import path from 'node:path';
import { Command } from 'commander';
import { ENGINE_VERSION } from '../src/engine/version';
import type { ModelCard } from '../src/engine/classifier/model-card';
import { loadDfdcFaces } from './dfdc-faces-loader';
import { exportClassifier, trainClassifier } from './train-loop';
import { activateTrainingBackend, type TrainingBackendName } from './training-backend';
import { summariseValidation } from './model/validation-metrics';

interface CliOptions {
  data: string;
  out: string;
  epochs: string;
  patience: string;
  seed: string;
  batchSize: string;
  learningRate: string;
  validationFraction: string;
  limit: string;
  checkpointDir: string;
  resume: boolean;
  timeBudget?: string;
  backend?: TrainingBackendName;
}

const program = new Command()
  .name('train-default-model')
  .description('Train the default BCE classifier on a DFDC face-crop set and export it with its model card')
  .requiredOption('--data <folder>', 'DFDC face-crop folder with real/, fake/ and labels.csv')
  .option('--out <folder>', 'export folder for model.json, weights.bin and card.json', 'models/classifier')
  .option('--epochs <n>', 'maximum epochs', '8')
  .option('--patience <n>', 'stop after this many epochs without a better validation AUC (0 = never)', '3')
  .option('--seed <n>', 'seed of the split, initialisers, shuffling and augmentation', '1')
  .option('--batch-size <n>', 'faces per step', '32')
  .option('--learning-rate <x>', 'Adam learning rate', '0.001')
  .option('--validation-fraction <x>', 'fraction of source groups held out for validation', '0.1')
  .option('--limit <n>', 'use only the first n rows of labels.csv (0 = all), for smoke runs', '0')
  .option('--checkpoint-dir <folder>', 'per-epoch checkpoints', '.cache/checkpoints/default-bce')
  .option('--resume', 'continue from the checkpoint folder', false)
  .option('--time-budget <minutes>', 'stop training after this many minutes; the epoch in progress ends early and is validated')
  .option('--backend <name>', 'force a TF.js backend: tensorflow, wasm or cpu');

async function main(): Promise<void> {
  const options = program.parse().opts<CliOptions>();
  const backend = await activateTrainingBackend(options.backend);
  const seed = Number(options.seed);
  const validationFraction = Number(options.validationFraction);
  console.log(`train-default-model: backend ${backend}; command: ${process.argv.slice(1).map((arg) => path.relative(process.cwd(), arg) || arg).join(' ')}`);

  const { train, validation } = await loadDfdcFaces(options.data, {
    validationFraction,
    seed,
    limit: Number(options.limit),
    onDecode: (done, total) => console.log(`decoding faces ${done}/${total}`),
  });
  console.log(`faces: ${train.count} train, ${validation.count} validation`);

  const started = Date.now();
  const result = await trainClassifier(train, validation, {
    loss: 'bce',
    epochs: Number(options.epochs),
    batchSize: Number(options.batchSize),
    learningRate: Number(options.learningRate),
    balanceClasses: true,
    augment: { flip: true, brightness: 0, contrast: 0 },
    earlyStoppingPatience: Number(options.patience),
    seed,
    checkpointDir: options.checkpointDir,
    resume: options.resume,
    timeBudgetSeconds: options.timeBudget === undefined ? undefined : Number(options.timeBudget) * 60,
    onProgress: (p) => {
      if (p.step % 50 === 0 || p.step === p.stepsPerEpoch) {
        console.log(`epoch ${p.epoch} step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} ${p.samplesPerSecond.toFixed(1)} faces/s eta ${Math.round(p.etaSeconds)} s`);
      }
    },
    onEpoch: (record) => console.log(`epoch ${record.epoch}: loss ${record.loss.toFixed(4)} val loss ${record.valLoss?.toFixed(4)} val AUC ${record.valAuc.toFixed(4)}`),
  });

  const summary = summariseValidation(result.validationScores, validation.labels);
  const facesSeen = result.history.slice(0, result.bestEpoch).reduce((sum, record) => sum + record.steps * Number(options.batchSize), 0);
  const card = buildCard(options, result.bestEpoch, result.history.length, summary, { train: train.count, validation: validation.count, seen: facesSeen }, Math.round((Date.now() - started) / 1000), backend);
  await exportClassifier(result, card, options.out);
  console.log(`exported ${options.out}: best epoch ${result.bestEpoch}, validation AUC ${summary.metrics.auc.toFixed(4)}, temperature ${summary.temperature.toFixed(3)}`);
}

function buildCard(
  options: CliOptions,
  bestEpoch: number,
  epochs: number,
  summary: ReturnType<typeof summariseValidation>,
  faces: { train: number; validation: number; seen: number },
  seconds: number,
  backend: TrainingBackendName,
): ModelCard {
  return {
    name: 'alexnet-bce-dfdc-faces',
    version: '1.0.0',
    loss: 'bce',
    createdAt: new Date().toISOString(),
    datasets: [
      {
        name: 'DFDC face crops (24,000 crops, one per video, drawn at random by source group from the DFDC training set)',
        source: options.data,
        faces: { train: faces.train, validation: faces.validation },
        methods: ['DFDC'],
      },
    ],
    split: { unit: 'source group (a real video and every fake made from it)', validationFraction: Number(options.validationFraction), seed: Number(options.seed) },
    metrics: { ...summary.metrics, bestEpoch, epochs },
    input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face' },
    calibration: { method: 'temperature', temperature: summary.temperature },
    engineVersion: ENGINE_VERSION,
    trained: true,
    notes: [
      `Trained by: npx tsx training/train-default-model.ts --data ${options.data} --out ${options.out} --epochs ${options.epochs} --patience ${options.patience} --seed ${options.seed}` +
        `${options.timeBudget === undefined ? '' : ` --time-budget ${options.timeBudget}`}` +
        ` (Adam ${options.learningRate}, batch ${options.batchSize}, dropout 0.5, horizontal flip only, TF.js ${backend} backend, ${seconds} s).`,
      `The exported weights had seen ${faces.seen} training faces (${(faces.seen / faces.train).toFixed(2)} passes over the ${faces.train} training crops) when the run stopped.`,
      'Faces: each 224x224 crop was used whole, converted to grey (BT.601) and resized to 128x128; no MTCNN detection or alignment, so inference faces from alignFace are framed differently than the training faces.',
      'Metrics are per face on the held-out 10% of source groups. The temperature was fitted on the same faces, so log loss and ECE are optimistic; AUC does not depend on it.',
      'Generalisation: seen only DFDC fakes (2019 face swaps, mostly frontal, actors filmed for the challenge). Expect lower accuracy on other generators, heavy compression, or other face framing.',
    ].join(' '),
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
