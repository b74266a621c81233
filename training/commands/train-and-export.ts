import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LossName, ModelCard, ModelCardDataset } from '../../src/engine/classifier';
import { ENGINE_VERSION } from '../../src/engine/version';
import { countClasses, type FaceDataset, type SplitDatasets } from '../data/face-dataset';
import { applyCalibration, type Calibration } from '../metrics/calibration';
import { evaluateScores, type EvaluationReport } from '../metrics/evaluate';
import { rocAuc } from '../metrics/roc';
import { exportClassifier, trainClassifier, type EpochRecord } from '../train-loop';
import type { DataOptions } from './data-options';
import { calibrateScores, evaluationMarkdown, logLoss, percent, writeCharts, writeJson } from './fit-report';
import type { LoadedFaces } from './load-faces';
import { loadClassifierFromFolder, predictFaces } from './predict-faces';
import { createProgressBar, formatDuration } from './progress';
import { toTrainOptions, type TrainFlags } from './train-options';

/** Outcome of training one loss. */
export interface TrainedModel {
  loss: LossName;
  outDir: string;
  reportDir: string;
  bestEpoch: number;
  epochs: number;
  /** Test metrics of the calibrated probabilities. */
  test: EvaluationReport;
  card: ModelCard;
}

/**
 * Trains one loss and exports the model to `outDir`. The test split is scored by the exported
 * files, as the engine will score faces. Calibration is fitted on the validation split, and then
 * `card.json` gets the temperature and test metrics and `report/` the JSON, Markdown and PNG charts.
 */
export async function trainAndExport(loss: LossName, splits: SplitDatasets, loaded: LoadedFaces, data: DataOptions, flags: TrainFlags, outDir: string): Promise<TrainedModel> {
  checkTrainable(splits);
  const options = toTrainOptions(flags, loss, data.seed);
  const started = Date.now();
  const bar = createProgressBar(`${loss} epoch {epoch}/${flags.epochs} {bar} step {value}/{total} | loss {loss} | val AUC {auc} | ETA {eta}`, 1, { epoch: '1', loss: '-', auc: '-', eta: '?' });
  let lastAuc = '-';
  const result = await trainClassifier(splits.train, splits.validation, {
    ...options,
    onProgress: (progress) => {
      if (progress.valAuc !== undefined) lastAuc = progress.valAuc.toFixed(3);
      bar.setTotal(progress.stepsPerEpoch);
      bar.update(progress.step, { epoch: String(progress.epoch), loss: progress.loss.toFixed(4), auc: lastAuc, eta: formatDuration(progress.etaSeconds) });
      // Without a terminal the bar is hidden, so a log file gets a line every tenth of an epoch.
      if (process.stderr.isTTY !== true && progress.step % Math.max(1, Math.floor(progress.stepsPerEpoch / 10)) === 0) {
        console.error(`train: ${loss} epoch ${progress.epoch} step ${progress.step}/${progress.stepsPerEpoch}: loss ${progress.loss.toFixed(4)}, ${progress.samplesPerSecond.toFixed(1)} faces/s, ETA ${formatDuration(progress.etaSeconds)}`);
      }
    },
    onNotice: (message) => console.error(`train: ${loss}: ${message}`),
    onEpoch: (record: EpochRecord) => {
      lastAuc = record.valAuc.toFixed(3);
      console.error(`train: ${loss} epoch ${record.epoch}: loss ${record.loss.toFixed(4)}, validation loss ${record.valLoss?.toFixed(4) ?? 'n/a'}, validation AUC ${record.valAuc.toFixed(4)}, ${formatDuration((Date.now() - started) / 1000)} elapsed`);
    },
  });
  bar.stop();

  // Export without calibration first, so the exported model's own predictions give the raw test scores.
  const provisional = buildCard(loss, loaded, splits, data, result.history.length, result.bestEpoch);
  await exportClassifier(result, provisional, outDir);
  result.model.dispose();
  const classifier = await loadClassifierFromFolder(outDir);
  const rawTest = await predictFaces(classifier, splits.test);
  classifier.dispose();

  const calibrations = calibrateScores(result.validationScores, splits.validation, rawTest, splits.test);
  warnAboutCalibration(result.validationScores, splits.validation, calibrations[flags.calibration].calibration);
  const chosen = calibrations[flags.calibration];
  const calibratedTest = applyCalibration(chosen.calibration, rawTest);
  const test = evaluateScores(calibratedTest, splits.test);
  const validationReport = evaluateScores(result.validationScores, splits.validation);

  const card: ModelCard = {
    ...provisional,
    calibration: chosen.calibration,
    metrics: {
      split: 'test',
      auc: test.frameAuc,
      videoAuc: test.videoAuc,
      videos: test.videos,
      validationAuc: validationReport.frameAuc,
      validationVideoAuc: validationReport.videoAuc,
      accuracy: test.frameAccuracy,
      logLoss: logLoss(calibratedTest, splits.test.labels),
      ece: chosen.testEceAfter,
      faces: test.faces,
      bestEpoch: result.bestEpoch,
      epochs: result.history.length,
    },
  };
  await rewriteCard(outDir, card);

  const reportDir = path.join(outDir, 'report');
  const charts = await writeCharts(reportDir, `${loss.toUpperCase()} AUC ${percent(test.frameAuc)}`, calibratedTest, splits.test.labels, result.history);
  await writeJson(path.join(reportDir, 'report.json'), {
    loss,
    createdAt: card.createdAt,
    options: { ...options, onProgress: undefined, onEpoch: undefined, onNotice: undefined },
    extraction: loaded.settings,
    preparation: loaded.summary,
    history: result.history,
    bestEpoch: result.bestEpoch,
    calibration: calibrations,
    testRaw: evaluateScores(rawTest, splits.test),
    test,
  });
  await writeJson(path.join(reportDir, 'split.json'), { seed: data.seed, fractions: data.split, videoIds: splits.videoIds });
  await writeFile(path.join(reportDir, 'report.md'), fitMarkdown(loss, test, calibrations, flags.calibration, result.history, result.bestEpoch));
  console.error(`train: ${loss}: test AUC ${percent(test.frameAuc)} (video ${percent(test.videoAuc)}), accuracy ${percent(test.frameAccuracy)}; model in ${outDir}, report and ${charts.length} ${charts.length === 1 ? 'chart' : 'charts'} in ${reportDir}`);
  return { loss, outDir, reportDir, bestEpoch: result.bestEpoch, epochs: result.history.length, test, card };
}

/** Temperature from which calibrated probabilities stay within a few percent of 50 % (logits shrink 100-fold). */
const TEMPERATURE_FLATTENS = 100;

/** Smallest validation split, in faces, whose fitted calibration this CLI does not warn about. */
const MIN_CALIBRATION_FACES = 200;

/** Warns when the calibration was fitted on too few faces, on scores that rank worse than chance, or flattens every probability. */
function warnAboutCalibration(validationScores: ArrayLike<number>, validation: FaceDataset, stored: Calibration): void {
  const auc = rocAuc(validationScores, validation.labels);
  if (validation.count < MIN_CALIBRATION_FACES || !(auc > 0.5)) {
    console.error(
      `train: warning: calibration was fitted on ${validation.count} validation faces with validation AUC ${auc.toFixed(3)}; ` +
        `a calibration is unreliable below ${MIN_CALIBRATION_FACES} faces or at AUC 0.5 or less. Train longer or give validation a larger share of --split`,
    );
  }
  if (stored.method === 'temperature' && stored.temperature >= TEMPERATURE_FLATTENS) {
    console.error(`train: warning: the fitted temperature ${stored.temperature.toFixed(1)} squeezes every probability towards 50 %, because the validation scores carry almost no signal; the exported model will read "uncertain" on every face`);
  }
}

/** Rejects splits the loop cannot learn from or measure. */
function checkTrainable(splits: SplitDatasets): void {
  for (const name of ['train', 'validation'] as const) {
    const classes = countClasses(splits[name]);
    if (classes.real === 0 || classes.fake === 0) {
      throw new Error(`train: the ${name} split has ${classes.real} real and ${classes.fake} fake faces; both classes are needed. Add data of the missing class with another --data or change --split`);
    }
  }
  if (splits.test.count === 0) {
    console.error('train: the test split is empty, so test metrics will be n/a; raise the test share of --split');
  }
}

function buildCard(loss: LossName, loaded: LoadedFaces, splits: SplitDatasets, data: DataOptions, epochs: number, bestEpoch: number): ModelCard {
  return {
    name: `alexnet-${loss}`,
    // Date and time to the second, so two models trained on one day stay apart on the options page.
    version: new Date().toISOString().slice(0, 19).replace('T', ' '),
    loss,
    createdAt: new Date().toISOString(),
    datasets: loaded.listings.map((listing) => datasetEntry(listing.root, listing.layout, splits)),
    split: { unit: 'identity group', validationFraction: data.split.validation, testFraction: data.split.test, seed: data.seed },
    metrics: null,
    input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face', framing: data.framing },
    calibration: null,
    engineVersion: ENGINE_VERSION,
    trained: true,
    notes: `Command: npm run train -- ${process.argv.slice(2).join(' ')}. Trained for ${epochs} ${epochs === 1 ? 'epoch' : 'epochs'}, best epoch ${bestEpoch}, on every ${data.every}th frame, faces of at least ${data.minFace} px, image crop mode ${data.cropMode}, ${framingText(data.framing)}.`,
  };
}

function framingText(framing: DataOptions['framing']): string {
  return framing.kind === 'aligned' ? 'faces aligned on five landmarks' : `faces cut as upright squares of ${framing.scale} box widths shifted ${framing.offsetX}, ${framing.offsetY} box widths from the box center`;
}

function datasetEntry(root: string, layout: string, splits: SplitDatasets): ModelCardDataset {
  const prefix = `${layout}:`;
  const facesOf = (dataset: FaceDataset): number => dataset.videoIds.filter((id) => id.startsWith(prefix)).length;
  const methods = new Set<string>();
  for (const dataset of [splits.train, splits.validation, splits.test]) {
    dataset.videoIds.forEach((id, index) => {
      if (id.startsWith(prefix) && dataset.labels[index] === 1) methods.add(dataset.methods[index]);
    });
  }
  return {
    name: `${layoutTitle(layout)} (${path.basename(root)})`,
    source: path.relative(process.cwd(), root) || '.',
    faces: { train: facesOf(splits.train), validation: facesOf(splits.validation), test: facesOf(splits.test) },
    methods: [...methods].sort(),
  };
}

function layoutTitle(layout: string): string {
  return ({ ffpp: 'FaceForensics++', celebdf: 'Celeb-DF v2', dfdc: 'DFDC', folders: 'real/fake folders' } as Record<string, string>)[layout] ?? layout;
}

async function rewriteCard(outDir: string, card: ModelCard): Promise<void> {
  const cardPath = path.join(outDir, 'card.json');
  // Fails loudly when the export wrote no card, instead of leaving weights without one.
  await readFile(cardPath, 'utf8');
  await writeJson(`${cardPath}.partial`, card);
  await rename(`${cardPath}.partial`, cardPath);
}

function fitMarkdown(loss: LossName, test: EvaluationReport, calibrations: ReturnType<typeof calibrateScores>, stored: TrainFlags['calibration'], history: EpochRecord[], bestEpoch: number): string {
  const lines = [`# Training report: ${loss}`, '', `Best epoch ${bestEpoch} of ${history.length}.`, '', evaluationMarkdown(`Test split (${stored}-calibrated)`, test), '## Calibration', '', `The card stores the ${stored} calibration.`, '', '| method | parameters | validation log loss before | after | validation ECE before | after | test ECE before | after |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const [method, result] of Object.entries(calibrations)) {
    const parameters = result.calibration.method === 'temperature' ? `T = ${result.calibration.temperature.toFixed(4)}` : `a = ${result.calibration.slope.toFixed(4)}, b = ${result.calibration.intercept.toFixed(4)}`;
    lines.push(`| ${method} | ${parameters} | ${result.validationLogLossBefore.toFixed(4)} | ${result.validationLogLossAfter.toFixed(4)} | ${percent(result.validationEceBefore)} | ${percent(result.validationEceAfter)} | ${percent(result.testEceBefore)} | ${percent(result.testEceAfter)} |`);
  }
  lines.push('', '## History', '', '| epoch | loss | validation loss | validation AUC |', '| --- | --- | --- | --- |');
  for (const record of history) lines.push(`| ${record.epoch} | ${record.loss.toFixed(4)} | ${record.valLoss?.toFixed(4) ?? 'n/a'} | ${record.valAuc.toFixed(4)} |`);
  return `${lines.join('\n')}\n`;
}
