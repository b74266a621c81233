import type { ModelCardMetrics } from '../../src/engine/classifier/model-card';
import { rocAuc } from '../metrics/roc';
import { fitTemperature } from './fit-temperature';

const LOGIT_EPSILON = 1e-7;
const ECE_BINS = 10;

/** Calibration and metrics of validation scores, ready for the model card. */
export interface ValidationSummary {
  temperature: number;
  metrics: Omit<ModelCardMetrics, 'bestEpoch' | 'epochs'>;
}

/**
 * Fits the temperature on the validation scores and measures the calibrated probabilities
 * there. AUC does not depend on the temperature. Log loss and ECE are measured on the faces the
 * temperature was fitted on, so they are optimistic.
 */
export function summariseValidation(scores: Float32Array, labels: Uint8Array): ValidationSummary {
  const temperature = fitTemperature(scores, labels);
  const calibrated = Float64Array.from(scores, (p) => {
    const clipped = Math.min(Math.max(p, LOGIT_EPSILON), 1 - LOGIT_EPSILON);
    return 1 / (1 + Math.exp(-Math.log(clipped / (1 - clipped)) / temperature));
  });
  let correct = 0;
  let logLoss = 0;
  for (let i = 0; i < calibrated.length; i++) {
    const p = Math.min(Math.max(calibrated[i], LOGIT_EPSILON), 1 - LOGIT_EPSILON);
    correct += (p >= 0.5 ? 1 : 0) === labels[i] ? 1 : 0;
    logLoss -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return {
    temperature,
    metrics: {
      split: 'validation',
      auc: rocAuc(calibrated, labels),
      accuracy: correct / calibrated.length,
      logLoss: logLoss / calibrated.length,
      ece: expectedCalibrationError(calibrated, labels),
      faces: calibrated.length,
    },
  };
}

/** Expected calibration error over equal-width probability bins. */
function expectedCalibrationError(probabilities: Float64Array, labels: Uint8Array): number {
  const counts = new Float64Array(ECE_BINS);
  const confidence = new Float64Array(ECE_BINS);
  const positives = new Float64Array(ECE_BINS);
  probabilities.forEach((p, i) => {
    const bin = Math.min(ECE_BINS - 1, Math.floor(p * ECE_BINS));
    counts[bin]++;
    confidence[bin] += p;
    positives[bin] += labels[i];
  });
  let error = 0;
  for (let bin = 0; bin < ECE_BINS; bin++) {
    if (counts[bin] > 0) {
      error += (counts[bin] / probabilities.length) * Math.abs(confidence[bin] / counts[bin] - positives[bin] / counts[bin]);
    }
  }
  return error;
}
