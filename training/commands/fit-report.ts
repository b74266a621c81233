import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyCalibration, expectedCalibrationError, fitCalibration, type Calibration, type CalibrationMethod } from '../metrics/calibration';
import { writeLossChart, writeRocChart } from '../metrics/charts';
import { evaluateScores, type EvaluationReport } from '../metrics/evaluate';
import { rocCurve } from '../metrics/roc';
import type { FaceDataset } from '../data/face-dataset';

/** A calibration fitted on the validation split, with ECE before and after on both held-out splits. */
export interface CalibrationResult {
  calibration: Calibration;
  /** Log loss on the validation split, the quantity the fit minimises. */
  validationLogLossBefore: number;
  validationLogLossAfter: number;
  validationEceBefore: number;
  validationEceAfter: number;
  testEceBefore: number;
  testEceAfter: number;
}

/** Fits every calibration method on validation scores and measures it on validation and test. */
export function calibrateScores(
  validationScores: ArrayLike<number>,
  validation: FaceDataset,
  testScores: ArrayLike<number>,
  test: FaceDataset,
): Record<CalibrationMethod, CalibrationResult> {
  const fit = (method: CalibrationMethod): CalibrationResult => {
    const calibration = fitCalibration(method, validationScores, validation.labels);
    return {
      calibration,
      validationLogLossBefore: logLoss(validationScores, validation.labels),
      validationLogLossAfter: logLoss(applyCalibration(calibration, validationScores), validation.labels),
      validationEceBefore: expectedCalibrationError(validationScores, validation.labels),
      validationEceAfter: expectedCalibrationError(applyCalibration(calibration, validationScores), validation.labels),
      testEceBefore: expectedCalibrationError(testScores, test.labels),
      testEceAfter: expectedCalibrationError(applyCalibration(calibration, testScores), test.labels),
    };
  };
  return { temperature: fit('temperature'), platt: fit('platt') };
}

/** Returns the mean binary cross-entropy of probabilities, clamped to [1e-7, 1 - 1e-7]. */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (probabilities.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(Math.max(probabilities[i], 1e-7), 1 - 1e-7);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}

/** Formats a fraction as a percentage with two decimals, or `n/a` for NaN. */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)} %` : 'n/a';
}

/** Renders an evaluation as a Markdown section: overall metrics, confusion matrix and per-method table. */
export function evaluationMarkdown(title: string, report: EvaluationReport): string {
  const { truePositives, falsePositives, trueNegatives, falseNegatives } = report.confusion;
  const lines = [
    `## ${title}`,
    '',
    `${report.faces} ${report.faces === 1 ? 'face' : 'faces'} from ${report.videos} ${report.videos === 1 ? 'file' : 'files'} (videos or images), threshold ${report.threshold}.`,
    '',
    '| metric | frame | video |',
    '| --- | --- | --- |',
    `| accuracy | ${percent(report.frameAccuracy)} | ${percent(report.videoAccuracy)} |`,
    `| AUC | ${percent(report.frameAuc)} | ${percent(report.videoAuc)} |`,
    '',
    'Confusion matrix (faces):',
    '',
    '| | predicted real | predicted fake |',
    '| --- | --- | --- |',
    `| real | ${trueNegatives} | ${falsePositives} |`,
    `| fake | ${falseNegatives} | ${truePositives} |`,
    '',
  ];
  const methods = Object.entries(report.perMethod);
  if (methods.length > 0) {
    lines.push('Per manipulation method (its fakes against all reals):', '', '| method | fake faces | fake videos | detected faces | frame AUC | video AUC |', '| --- | --- | --- | --- | --- | --- |');
    for (const [method, metrics] of methods) {
      lines.push(`| ${method} | ${metrics.faces} | ${metrics.videos} | ${percent(metrics.frameDetectionRate)} | ${percent(metrics.frameAuc)} | ${percent(metrics.videoAuc)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes the ROC chart of test scores and, when a history is given, the loss chart. */
export async function writeCharts(reportDir: string, name: string, scores: ArrayLike<number>, labels: ArrayLike<number>, history?: Array<{ loss: number; valLoss?: number }>): Promise<string[]> {
  await mkdir(reportDir, { recursive: true });
  const written: string[] = [];
  const curve = rocCurve(scores, labels);
  if (curve.length > 0) {
    const rocPath = path.join(reportDir, 'roc.png');
    await writeRocChart(rocPath, [{ name, points: curve }]);
    written.push(rocPath);
  }
  if (history !== undefined && history.length > 0) {
    const lossPath = path.join(reportDir, 'loss.png');
    await writeLossChart(lossPath, [
      { name: 'TRAIN', values: history.map((record) => record.loss) },
      { name: 'VALIDATION', values: history.map((record) => record.valLoss ?? NaN) },
    ]);
    written.push(lossPath);
  }
  return written;
}

/** Writes a JSON file with two-space indentation; NaN becomes null. */
export async function writeJson(filePath: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  await writeFile(filePath, `${JSON.stringify(value, null, 2)}\n`);
}
