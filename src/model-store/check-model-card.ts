import { LOSS_NAMES, type LossName } from '../engine/classifier/loss-name';
import { ENGINE_VERSION } from '../engine/version';
import { ModelImportError } from './model-import-error';

/** Input the engine feeds every classifier: one aligned grey face of 128x128 pixels. */
export const EXPECTED_INPUT = { width: 128, height: 128, channels: 1 } as const;

/**
 * The model card fields the store relies on. A card may contain more fields (notes, plots), and
 * the store keeps the whole parsed object.
 */
export interface CheckedCard {
  name: string;
  version: string;
  loss: LossName;
  /** ISO 8601 time the training CLI exported the model. */
  createdAt: string;
  /** Training data sets, each an object with at least a `name`. */
  datasets: { name: string }[];
  split: Record<string, unknown>;
  /** Metrics measured on the held-out split, as the training CLI wrote them; null when not measured. */
  metrics: Record<string, unknown> | null;
  input: { width: number; height: number; channels: number };
  calibration: Record<string, unknown> | null;
  engineVersion: string;
  trained: boolean;
}

/**
 * Checks a parsed `card.json` against the contract of the training CLI's export. Every field must
 * be present with the right type, the input must be 128x128x1 and the model trained. The engine
 * version must share this build's major number, because a different major means different face
 * pre-processing.
 */
export function checkModelCard(value: unknown): CheckedCard {
  if (!isRecord(value)) {
    throw invalid('card.json is not a JSON object');
  }
  const name = requireString(value, 'name');
  const version = requireString(value, 'version');
  const loss = requireString(value, 'loss');
  if (!(LOSS_NAMES as readonly string[]).includes(loss)) {
    throw invalid(`card.json field "loss" is "${loss}", expected one of ${LOSS_NAMES.join(', ')}`);
  }
  const createdAt = requireString(value, 'createdAt');
  if (Number.isNaN(Date.parse(createdAt))) {
    throw invalid(`card.json field "createdAt" is "${createdAt}", expected an ISO 8601 date`);
  }

  const datasets = value.datasets;
  if (!Array.isArray(datasets) || !datasets.every((dataset) => isRecord(dataset) && typeof dataset.name === 'string')) {
    throw invalid('card.json field "datasets" must be an array of objects with a "name"');
  }
  const split = requireRecord(value, 'split');
  const metrics = value.metrics === null ? null : requireRecord(value, 'metrics');
  const input = checkInput(value.input);
  const calibration = checkCalibration(value.calibration);
  const engineVersion = requireString(value, 'engineVersion');
  checkEngineVersion(engineVersion);
  if (value.trained !== true) {
    throw invalid('card.json field "trained" is not true, and the engine shows no verdict for an untrained model, so import a trained export');
  }

  return {
    name,
    version,
    loss: loss as LossName,
    createdAt,
    datasets: datasets as { name: string }[],
    split,
    metrics,
    input,
    calibration,
    engineVersion,
    trained: true,
  };
}

function checkInput(input: unknown): CheckedCard['input'] {
  if (!isRecord(input)) {
    throw invalid('card.json field "input" is missing or not an object');
  }
  for (const [key, expected] of Object.entries(EXPECTED_INPUT)) {
    if (input[key] !== expected) {
      throw invalid(`card.json field "input.${key}" is ${JSON.stringify(input[key])}, but the engine feeds ${EXPECTED_INPUT.width}x${EXPECTED_INPUT.height}x${EXPECTED_INPUT.channels} faces`);
    }
  }
  checkFraming(input.framing);
  return { width: EXPECTED_INPUT.width, height: EXPECTED_INPUT.height, channels: EXPECTED_INPUT.channels };
}

/** Accepts no framing, `aligned`, or a `box` framing the engine can cut (the training CLI's `--framing` limits). */
function checkFraming(framing: unknown): void {
  if (framing === undefined || (isRecord(framing) && framing.kind === 'aligned')) return;
  const finiteIn = (value: unknown, low: number, high: number): boolean => typeof value === 'number' && Number.isFinite(value) && value >= low && value <= high;
  if (isRecord(framing) && framing.kind === 'box' && finiteIn(framing.scale, 1e-6, 4) && finiteIn(framing.offsetX, -1, 1) && finiteIn(framing.offsetY, -1, 1)) return;
  throw invalid(`card.json field "input.framing" is ${JSON.stringify(framing)}, expected {"kind":"aligned"} or {"kind":"box"} with a scale above 0 up to 4 and offsets from -1 to 1 box widths`);
}

function checkCalibration(calibration: unknown): Record<string, unknown> | null {
  if (calibration === null) {
    return null;
  }
  if (!isRecord(calibration)) {
    throw invalid('card.json field "calibration" must be an object or null');
  }
  if (calibration.method === 'temperature') {
    const temperature = calibration.temperature;
    if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
      throw invalid(`card.json field "calibration.temperature" is ${JSON.stringify(temperature)}, expected a finite number above 0`);
    }
    return calibration;
  }
  if (calibration.method === 'platt') {
    const { slope, intercept } = calibration;
    // A slope of 0 or below would flatten or reverse the model's ranking of faces.
    if (typeof slope !== 'number' || !Number.isFinite(slope) || slope <= 0 || typeof intercept !== 'number' || !Number.isFinite(intercept)) {
      throw invalid(`card.json fields "calibration.slope" and "calibration.intercept" are ${JSON.stringify(slope)} and ${JSON.stringify(intercept)}, expected a finite slope above 0 and a finite intercept`);
    }
    return calibration;
  }
  throw invalid(`card.json field "calibration.method" is ${JSON.stringify(calibration.method)}, expected "temperature" or "platt"`);
}

function checkEngineVersion(engineVersion: string): void {
  const major = engineVersion.split('.')[0];
  const expectedMajor = ENGINE_VERSION.split('.')[0];
  if (major !== expectedMajor) {
    throw invalid(`card.json field "engineVersion" is ${engineVersion}, but this extension runs engine ${ENGINE_VERSION} with different face pre-processing, so retrain with this version`);
  }
}

function requireString(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`card.json field "${key}" is missing or not a non-empty string`);
  }
  return value;
}

function requireRecord(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = record[key];
  if (!isRecord(value)) {
    throw invalid(`card.json field "${key}" is missing or not an object${key === 'metrics' ? ' (null when not measured)' : ''}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(detail: string): ModelImportError {
  return new ModelImportError('invalid-card', `Model import: ${detail}.`);
}
