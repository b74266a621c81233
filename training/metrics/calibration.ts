/**
 * Post-hoc calibration of fake probabilities, fitted on the validation split: temperature scaling
 * (one parameter, Guo et al. 2017, "On Calibration of Modern Neural Networks") and Platt scaling
 * (two parameters, Platt 1999), both applied to the logit of the classifier's probability.
 */

/** Parameters of a fitted calibration; `applyCalibration` maps raw probabilities through it. */
export type Calibration = { method: 'temperature'; temperature: number } | { method: 'platt'; slope: number; intercept: number };

export type CalibrationMethod = Calibration['method'];

/** Probabilities are clamped to [EPSILON, 1 - EPSILON] before taking the logit. */
const PROBABILITY_EPSILON = 1e-7;
/** Bounds of the inverse temperature, so separable data cannot drive it to infinity. */
const MIN_INVERSE_TEMPERATURE = 1e-3;
const MAX_INVERSE_TEMPERATURE = 1e3;
const NEWTON_ITERATIONS = 100;
const NEWTON_TOLERANCE = 1e-10;
const MAX_STEP_HALVINGS = 40;
/** Bins of the expected calibration error; 10 matches the `ece` field of the model card (Guo et al. use 15). */
export const DEFAULT_ECE_BINS = 10;

export function logit(probability: number): number {
  const p = Math.min(Math.max(probability, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
  return Math.log(p / (1 - p));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Maps raw probabilities through a fitted calibration. */
export function applyCalibration(calibration: Calibration, probabilities: ArrayLike<number>): Float64Array {
  return Float64Array.from(probabilities as ArrayLike<number>, (p) =>
    calibration.method === 'temperature' ? sigmoid(logit(p) / calibration.temperature) : sigmoid(calibration.slope * logit(p) + calibration.intercept),
  );
}

/**
 * Fits the temperature T that minimises the binary cross-entropy of sigmoid(logit(p) / T). The
 * loss is convex in 1 / T, so Newton's method on 1 / T converges from 1.
 */
export function fitTemperature(probabilities: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const logits = Array.from(probabilities as ArrayLike<number>, logit);
  let inverse = 1;
  for (let iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
    let gradient = 0;
    let hessian = 0;
    for (let i = 0; i < logits.length; i++) {
      const q = sigmoid(inverse * logits[i]);
      gradient += (q - labels[i]) * logits[i];
      hessian += q * (1 - q) * logits[i] * logits[i];
    }
    if (hessian <= 0) break;
    const next = Math.min(Math.max(inverse - gradient / hessian, MIN_INVERSE_TEMPERATURE), MAX_INVERSE_TEMPERATURE);
    const step = Math.abs(next - inverse);
    inverse = next;
    if (step < NEWTON_TOLERANCE) break;
  }
  return { method: 'temperature', temperature: 1 / inverse };
}

/**
 * Fits Platt scaling sigmoid(a * logit(p) + b) by Newton's method on the cross-entropy against
 * Platt's smoothed targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2), which keep a separable set finite.
 */
export function fitPlatt(probabilities: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const logits = Array.from(probabilities as ArrayLike<number>, logit);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = labels.length - positives;
  const highTarget = (positives + 1) / (positives + 2);
  const lowTarget = 1 / (negatives + 2);

  let slope = 1;
  let intercept = 0;
  for (let iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
    let gradientA = 0;
    let gradientB = 0;
    let hessianAA = 1e-12;
    let hessianAB = 0;
    let hessianBB = 1e-12;
    for (let i = 0; i < logits.length; i++) {
      const q = sigmoid(slope * logits[i] + intercept);
      const residual = q - (labels[i] === 1 ? highTarget : lowTarget);
      const weight = q * (1 - q);
      gradientA += residual * logits[i];
      gradientB += residual;
      hessianAA += weight * logits[i] * logits[i];
      hessianAB += weight * logits[i];
      hessianBB += weight;
    }
    const determinant = hessianAA * hessianBB - hessianAB * hessianAB;
    if (!(Math.abs(determinant) > 0)) break;
    let stepA = (hessianBB * gradientA - hessianAB * gradientB) / determinant;
    let stepB = (hessianAA * gradientB - hessianAB * gradientA) / determinant;

    // Plain Newton steps can overshoot far from the optimum, so halve the step until the loss drops.
    const loss = plattLoss(logits, labels, slope, intercept, highTarget, lowTarget);
    for (let halving = 0; halving < MAX_STEP_HALVINGS; halving++) {
      if (plattLoss(logits, labels, slope - stepA, intercept - stepB, highTarget, lowTarget) <= loss) break;
      stepA /= 2;
      stepB /= 2;
    }
    slope -= stepA;
    intercept -= stepB;
    if (Math.abs(stepA) + Math.abs(stepB) < NEWTON_TOLERANCE) break;
  }
  return { method: 'platt', slope, intercept };
}

/** Returns the cross-entropy of sigmoid(slope * z + intercept) against Platt's smoothed targets. */
function plattLoss(logits: number[], labels: ArrayLike<number>, slope: number, intercept: number, highTarget: number, lowTarget: number): number {
  let loss = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = slope * logits[i] + intercept;
    const target = labels[i] === 1 ? highTarget : lowTarget;
    // log(1 + e^x) - target * x, written to stay finite for large |x|.
    loss += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - target * x;
  }
  return loss;
}

/** Fits the named calibration method. */
export function fitCalibration(method: CalibrationMethod, probabilities: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  return method === 'platt' ? fitPlatt(probabilities, labels) : fitTemperature(probabilities, labels);
}

/**
 * Returns the expected calibration error: decisions are binned by confidence max(p, 1 - p) into
 * `bins` equal-width bins over [0, 1], and ECE = sum over bins of (n_b / N) * |accuracy_b - mean
 * confidence_b|, where a decision is correct when (p >= 0.5) matches the label. NaN for no data.
 */
export function expectedCalibrationError(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins: number = DEFAULT_ECE_BINS): number {
  if (probabilities.length !== labels.length) {
    throw new Error(`metrics: ${probabilities.length} probabilities but ${labels.length} labels; pass one label per probability`);
  }
  if (probabilities.length === 0) return NaN;

  const counts = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    const predictedFake = p >= 0.5;
    const binConfidence = predictedFake ? p : 1 - p;
    const bin = Math.min(Math.floor(binConfidence * bins), bins - 1);
    counts[bin] += 1;
    confidence[bin] += binConfidence;
    correct[bin] += predictedFake === (labels[i] === 1) ? 1 : 0;
  }

  let error = 0;
  for (let bin = 0; bin < bins; bin++) {
    if (counts[bin] === 0) continue;
    error += (counts[bin] / probabilities.length) * Math.abs(correct[bin] / counts[bin] - confidence[bin] / counts[bin]);
  }
  return error;
}
