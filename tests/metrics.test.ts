import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { applyCalibration, expectedCalibrationError, fitPlatt, fitTemperature, logit, sigmoid } from '../training/metrics/calibration';
import { writeLossChart, writeRocChart } from '../training/metrics/charts';
import { accuracyOf, confusionMatrix, videoLevelScores } from '../training/metrics/classification';
import { evaluateScores } from '../training/metrics/evaluate';
import { rocAuc, rocCurve, trapezoidArea } from '../training/metrics/roc';
import { mulberry32 } from '../training/data/split';
import { calibrateScores } from '../training/commands/fit-report';

/** Tolerance of values computed by hand in closed form. */
const EXACT_TOLERANCE = 1e-12;
/** Tolerance of parameters recovered from 20,000 sampled labels (their standard error is about 0.02). */
const FIT_TOLERANCE = 0.1;

describe('ROC AUC', () => {
  it('matches hand-computed values', () => {
    // Pairs (positive, negative): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 -> 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('counts ties as one half', () => {
    // Positives 0.5, 0.9; negatives 0.5, 0.2: 0.5 + 1 + 1 + 1 = 3.5 of 4 pairs.
    expect(rocAuc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.3, 0.3, 0.3], [1, 0, 1])).toBeCloseTo(0.5, 12);
  });

  it('is NaN with one class', () => {
    expect(rocAuc([0.2, 0.7], [1, 1])).toBeNaN();
  });

  it('curve area equals the rank AUC', () => {
    const random = mulberry32(5);
    const scores = Array.from({ length: 300 }, () => Math.round(random() * 20) / 20);
    const labels = scores.map((score) => (random() < score ? 1 : 0));
    const curve = rocCurve(scores, labels);
    expect(curve[0]).toEqual({ falsePositiveRate: 0, truePositiveRate: 0, threshold: Infinity });
    expect(curve.at(-1)?.falsePositiveRate).toBe(1);
    expect(curve.at(-1)?.truePositiveRate).toBe(1);
    expect(Math.abs(trapezoidArea(curve) - rocAuc(scores, labels))).toBeLessThan(EXACT_TOLERANCE);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rocAuc([0.1, 0.2], [1])).toThrow(/2 scores but 1 labels/);
  });
});

describe('classification metrics', () => {
  it('builds the confusion matrix at the threshold', () => {
    const matrix = confusionMatrix([0.9, 0.5, 0.2, 0.49, 0.7], [1, 0, 0, 1, 1]);
    expect(matrix).toEqual({ truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1 });
    expect(accuracyOf(matrix)).toBeCloseTo(0.6, 12);
  });

  it('averages frame scores per video', () => {
    const videos = videoLevelScores([0.2, 0.4, 0.9, 0.7, 0.1], [0, 0, 1, 1, 0], ['a', 'a', 'b', 'b', 'c'], ['real', 'real', 'X', 'X', 'real']);
    expect([...videos.scores].map((value) => Number(value.toFixed(12)))).toEqual([0.3, 0.8, 0.1]);
    expect([...videos.labels]).toEqual([0, 1, 0]);
    expect(videos.videoIds).toEqual(['a', 'b', 'c']);
  });
});

describe('evaluation report', () => {
  it('computes frame, video and per-method metrics', () => {
    const scores = [0.2, 0.6, 0.1, 0.9, 0.7, 0.3, 0.55, 0.65];
    const set = {
      labels: [0, 0, 0, 1, 1, 1, 1, 1],
      videoIds: ['r1', 'r1', 'r2', 'a1', 'a1', 'b1', 'b1', 'b2'],
      methods: ['real', 'real', 'real', 'A', 'A', 'B', 'B', 'B'],
    };
    const report = evaluateScores(scores, set);

    expect(report.faces).toBe(8);
    expect(report.videos).toBe(5);
    // Wrong: 0.6 (real) and 0.3 (fake) -> 6 of 8.
    expect(report.frameAccuracy).toBeCloseTo(0.75, 12);
    // Video scores: r1 0.4, r2 0.1, a1 0.8, b1 0.425, b2 0.65; all 6 fake/real pairs ordered -> 1.
    expect(report.videoAuc).toBeCloseTo(1, 12);
    expect(report.videoAccuracy).toBeCloseTo(0.8, 12);
    // Method B frames 0.3, 0.55, 0.65 against reals 0.2, 0.6, 0.1: 2 + 2 + 3 = 7 of 9 pairs.
    expect(report.perMethod.B.frameAuc).toBeCloseTo(7 / 9, 12);
    expect(report.perMethod.B.frameDetectionRate).toBeCloseTo(2 / 3, 12);
    expect(report.perMethod.B.videos).toBe(2);
    expect(report.perMethod.A.frameAuc).toBeCloseTo(1, 12);
    expect(report.perMethod.real).toBeUndefined();
  });
});

describe('calibration', () => {
  it('computes ECE by hand', () => {
    // Confidences 0.9 (right), 0.8 (wrong), 0.7 (right), 0.6 (right), one per bin of 10:
    // (0.1 + 0.8 + 0.3 + 0.4) / 4 = 0.4.
    expect(expectedCalibrationError([0.9, 0.8, 0.3, 0.6], [1, 0, 0, 1], 10)).toBeCloseTo(0.4, 12);
    // With 2 bins all four share [0.5, 1): accuracy 0.75, mean confidence 0.75.
    expect(expectedCalibrationError([0.9, 0.8, 0.3, 0.6], [1, 0, 0, 1], 2)).toBeCloseTo(0, 12);
  });

  /** Draws 20,000 logits and labels from sigmoid(slope * z + intercept). */
  function sample(slope: number, intercept: number): { probabilities: number[]; labels: number[] } {
    const random = mulberry32(42);
    const probabilities: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const z = (random() - 0.5) * 12;
      probabilities.push(sigmoid(z));
      labels.push(random() < sigmoid(slope * z + intercept) ? 1 : 0);
    }
    return { probabilities, labels };
  }

  it('recovers a known temperature and lowers ECE', () => {
    const { probabilities, labels } = sample(0.5, 0);
    const fitted = fitTemperature(probabilities, labels);
    expect(fitted.method).toBe('temperature');
    if (fitted.method !== 'temperature') return;
    expect(Math.abs(fitted.temperature - 2)).toBeLessThan(FIT_TOLERANCE);

    const before = expectedCalibrationError(probabilities, labels);
    const after = expectedCalibrationError(applyCalibration(fitted, probabilities), labels);
    expect(after).toBeLessThan(before / 2);
  });

  it('sets the temperature gradient to zero', () => {
    const probabilities = [0.9, 0.2, 0.7, 0.4];
    const labels = [1, 0, 0, 1];
    const fitted = fitTemperature(probabilities, labels);
    if (fitted.method !== 'temperature') throw new Error('expected a temperature calibration');
    const gradient = probabilities.reduce((sum, p, i) => sum + (sigmoid(logit(p) / fitted.temperature) - labels[i]) * logit(p), 0);
    expect(Math.abs(gradient)).toBeLessThan(1e-8);
  });

  it('recovers known Platt parameters', () => {
    const { probabilities, labels } = sample(0.5, 1);
    const fitted = fitPlatt(probabilities, labels);
    if (fitted.method !== 'platt') throw new Error('expected a Platt calibration');
    expect(Math.abs(fitted.slope - 0.5)).toBeLessThan(FIT_TOLERANCE);
    expect(Math.abs(fitted.intercept - 1)).toBeLessThan(FIT_TOLERANCE);
  });

  it('never raises validation log loss', () => {
    const { probabilities, labels } = sample(0.5, 1);
    const set = (count: number) => ({ labels: Uint8Array.from(labels.slice(0, count)), images: new Uint8Array(0), count, videoIds: [], methods: [] });
    const results = calibrateScores(probabilities.slice(0, 5000), set(5000), probabilities.slice(0, 5000), set(5000));
    for (const [method, result] of Object.entries(results)) {
      expect(result.validationLogLossAfter, method).toBeLessThanOrEqual(result.validationLogLossBefore);
      expect(result.validationEceAfter, method).toBeLessThan(result.validationEceBefore);
    }
  });

  it('stays finite on separable data', () => {
    const fitted = fitTemperature([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]);
    if (fitted.method !== 'temperature') throw new Error('expected a temperature calibration');
    expect(Number.isFinite(fitted.temperature)).toBe(true);
    expect(fitted.temperature).toBeGreaterThan(0);
  });
});

describe('charts', () => {
  it('writes ROC and loss PNGs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'charts-'));
    try {
      const rocPath = path.join(dir, 'roc.png');
      await writeRocChart(rocPath, [{ name: 'TEST', points: rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) }]);
      const roc = PNG.sync.read(await readFile(rocPath));
      expect(roc.width).toBe(480);
      expect(roc.height).toBe(400);
      // Some pixel carries the first series colour (31, 119, 180).
      let seriesPixels = 0;
      for (let i = 0; i < roc.data.length; i += 4) if (roc.data[i] === 31 && roc.data[i + 1] === 119 && roc.data[i + 2] === 180) seriesPixels++;
      expect(seriesPixels).toBeGreaterThan(100);

      const lossPath = path.join(dir, 'loss.png');
      await writeLossChart(lossPath, [{ name: 'TRAIN', values: [0.7, 0.5, 0.4] }, { name: 'VAL', values: [0.72, NaN, 0.6] }]);
      expect(PNG.sync.read(await readFile(lossPath)).width).toBe(480);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
