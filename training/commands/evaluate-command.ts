import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { CropMode } from '../data/face-extractor';
import { packFaceDataset } from '../data/face-dataset';
import { expectedCalibrationError } from '../metrics/calibration';
import { evaluateScores } from '../metrics/evaluate';
import { activateTrainingBackend, type TrainingBackendName } from '../training-backend';
import { addDataOptions, type DataOptions } from './data-options';
import { evaluationMarkdown, percent, writeCharts, writeJson } from './fit-report';
import { loadFaces } from './load-faces';
import { loadClassifierFromFolder, predictFaces } from './predict-faces';

type EvaluateFlags = DataOptions & { model: string; subset: 'test' | 'validation' | 'train' | 'all'; reportDir?: string; backend?: TrainingBackendName };

/** Builds `train evaluate`: score a dataset with an exported model and print the metrics. */
export function createEvaluateCommand(): Command {
  const command = new Command('evaluate').description('score a dataset with an exported model (its card calibration applied) and print accuracy, AUC and calibration error');
  command.requiredOption('--model <dir>', 'model folder written by fit (model.json, weights, card.json)');
  addDataOptions(command);
  command
    .addOption(
      new Option('--subset <name>', 'faces to score: a split saved by fit in <model>/report/split.json (matched by video), or all faces of --data')
        .choices(['test', 'validation', 'train', 'all'])
        .default('all'),
    )
    .option('--report-dir <dir>', 'folder for report.json, report.md and roc.png (default: print only)')
    .addOption(new Option('--backend <name>', 'TF.js backend (default: tensorflow when @tensorflow/tfjs-node is installed, else wasm)').choices(['tensorflow', 'wasm', 'cpu']));
  command.action(async (flags: EvaluateFlags) => {
    const backend = await activateTrainingBackend(flags.backend);
    console.error(`train: TF.js backend ${backend}`);
    const classifier = await loadClassifierFromFolder(flags.model);
    // Images are read with the model's training crop mode unless --crop-mode is given.
    const trainedCropMode = await readTrainingCropMode(flags.model);
    if (command.getOptionValueSource('cropMode') === 'default' && trainedCropMode !== null && trainedCropMode !== flags.cropMode) {
      flags.cropMode = trainedCropMode;
      console.error(`train: image crop mode ${trainedCropMode}, as the model was trained (pass --crop-mode to choose another)`);
    }
    // Faces are cut the way the model was trained unless --framing is given.
    const cardFraming = classifier.card.input.framing;
    if (command.getOptionValueSource('framing') === 'default' && cardFraming !== undefined) {
      flags.framing = cardFraming;
      console.error(`train: faces framed as the model card specifies (${cardFraming.kind})`);
    }
    // Files outside the requested split are dropped before extraction, so they cost no detector time.
    const selected = flags.subset === 'all' ? null : await readSplitVideoIds(flags.model, flags.subset);
    const loaded = await loadFaces(flags, undefined, selected === null ? undefined : (item) => selected.has(item.videoId));
    if (selected !== null) {
      console.error(`train: ${loaded.listedItems - loaded.keptItems} files outside the saved ${flags.subset} split skipped, ${loaded.keptItems} of ${loaded.listedItems} kept`);
    }
    const dataset = packFaceDataset(loaded.prepared);
    if (dataset.count === 0) {
      classifier.dispose();
      throw new Error(`train: no faces to evaluate in ${flags.data.join(', ')} (subset ${flags.subset}); check --data and --subset`);
    }

    const scores = await predictFaces(classifier, dataset);
    classifier.dispose();
    const report = evaluateScores(scores, dataset);
    const ece = expectedCalibrationError(scores, dataset.labels);
    process.stdout.write(`${evaluationMarkdown(`Evaluation of ${flags.model} (${flags.subset})`, report)}\nExpected calibration error (10 bins): ${percent(ece)}\n`);

    if (flags.reportDir !== undefined) {
      await writeCharts(flags.reportDir, `AUC ${percent(report.frameAuc)}`, scores, dataset.labels);
      await writeJson(path.join(flags.reportDir, 'report.json'), { model: path.resolve(flags.model), subset: flags.subset, extraction: loaded.settings, preparation: loaded.summary, ece, report });
      await writeFile(path.join(flags.reportDir, 'report.md'), evaluationMarkdown(`Evaluation of ${flags.model} (${flags.subset})`, report));
      console.error(`train: report written to ${path.resolve(flags.reportDir)}`);
    }
  });
  return command;
}

async function readSplitVideoIds(modelDir: string, subset: 'test' | 'validation' | 'train'): Promise<Set<string>> {
  const splitPath = path.join(modelDir, 'report', 'split.json');
  let text: string;
  try {
    text = await readFile(splitPath, 'utf8');
  } catch {
    throw new Error(`train: ${splitPath} not found, so the ${subset} split of this model is unknown; use --subset all or a model folder written by fit`);
  }
  const parsed = JSON.parse(text) as { videoIds?: Record<string, unknown> };
  const ids = parsed.videoIds?.[subset];
  if (!Array.isArray(ids)) throw new Error(`train: ${splitPath} has no videoIds.${subset} list; rerun fit to write it`);
  return new Set(ids as string[]);
}

/** Returns the image crop mode `fit` recorded in `<model>/report/report.json`, or null without one. */
async function readTrainingCropMode(modelDir: string): Promise<CropMode | null> {
  try {
    const report = JSON.parse(await readFile(path.join(modelDir, 'report', 'report.json'), 'utf8')) as { extraction?: { cropMode?: unknown } };
    const mode = report.extraction?.cropMode;
    return mode === 'whole' || mode === 'detect' ? mode : null;
  } catch {
    return null;
  }
}
