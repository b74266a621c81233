import type { BoxFraming } from '../align';
import type { LossName } from './loss-name';

/** One dataset a classifier was trained or evaluated on. */
export interface ModelCardDataset {
  /** Dataset name, such as `DFDC face crops`. */
  name: string;
  /** Origin of the data: a path relative to the repository, or a URL. */
  source: string;
  /** Faces per split. */
  faces: { train: number; validation: number; test?: number };
  /** Manipulation methods among the fakes, such as `DFDC`. */
  methods: string[];
}

/** Division of the faces between training and validation. */
export interface ModelCardSplit {
  /** Unit kept on one side of the split, such as `source group` or `identity`. */
  unit: string;
  validationFraction: number;
  testFraction?: number;
  seed: number;
}

/** Metrics measured on a held-out split. */
export interface ModelCardMetrics {
  /** Split the metrics were measured on. */
  split: 'validation' | 'test';
  /** ROC AUC of the calibrated fake probability per face. */
  auc: number;
  /** ROC AUC of the mean face probability per video, on the same split. */
  videoAuc?: number;
  /** Videos (or images) the faces came from. */
  videos?: number;
  /** Frame and video AUC on the validation split, which chose the best epoch and fitted the calibration. */
  validationAuc?: number;
  validationVideoAuc?: number;
  /** Accuracy at probability threshold 0.5. */
  accuracy: number;
  /** Binary cross-entropy of the calibrated probabilities. */
  logLoss: number;
  /** Expected calibration error (10 equal-width bins) of the calibrated probabilities. */
  ece?: number;
  faces: number;
  bestEpoch: number;
  epochs: number;
}

/** Description of a trained classifier, stored as `card.json` beside its weights. */
export interface ModelCard {
  name: string;
  version: string;
  loss: LossName;
  /** ISO 8601 time of export. */
  createdAt: string;
  datasets: ModelCardDataset[];
  split: ModelCardSplit;
  metrics: ModelCardMetrics | null;
  input: {
    width: 128;
    height: 128;
    channels: 1;
    range: '0..1 grey, aligned face';
    /**
     * Face framing the engine applies for this model. Absent or `aligned`: the five-landmark alignment
     * (`alignFace`). `box`: an upright square around the detector box (`cropFaceBox`), for models
     * trained on ready-cut face crops.
     */
    framing?: { kind: 'aligned' } | ({ kind: 'box' } & BoxFraming);
  };
  /**
   * Calibration of the model's probability p: temperature scaling p' = sigmoid(logit(p) / T), or
   * Platt scaling p' = sigmoid(slope * logit(p) + intercept); null leaves p as it is.
   */
  calibration: { method: 'temperature'; temperature: number } | { method: 'platt'; slope: number; intercept: number } | null;
  /** `ENGINE_VERSION` of the pre-processing the model was trained with. */
  engineVersion: string;
  /** False for untrained placeholder weights; the engine refuses to score with those. */
  trained: boolean;
  notes?: string;
}
