import * as tf from '@tensorflow/tfjs';
// Registers the custom L2Normalize layer, so embedding models deserialise.
import '../engine/classifier/l2-normalize-layer';
import type { ModelFileReader } from '../engine/types';
import { checkModelCard, EXPECTED_INPUT, type CheckedCard } from './check-model-card';
import { checkWeights, parseJson, parseModelJson, type ModelJson } from './check-weights';
import { formatMebibytes, resolveLimits, type ImportLimits } from './import-limits';
import { createMemoryFileReader } from './memory-file-reader';
import { ModelImportError } from './model-import-error';
import { CARD_JSON, MODEL_JSON, totalBytes, type ModelFiles } from './model-files';
import { defaultProbeFaces, PROBE_FACE_SIZE } from './probe-faces';

/** The part of the engine's `Classifier` the validator uses. */
export interface ProbeClassifier {
  /** Returns one fake probability per face of a [n, 128, 128, 1] batch with pixels in [0, 1]. */
  predict(faces: tf.Tensor4D): Promise<Float32Array>;
  dispose(): void;
}

/** Loads a classifier folder the way the engine does: the engine's `loadClassifier`. */
export type ClassifierLoader = (readFile: ModelFileReader, folder: string) => Promise<ProbeClassifier | null>;

export interface ValidationOptions {
  /** Loader used for the output check, so the check runs the same code the engine runs. */
  loadClassifier: ClassifierLoader;
  /** Aligned grey faces, 128 * 128 bytes each, run through the model. Default: {@link defaultProbeFaces}. */
  probeFaces?: Uint8Array[];
  limits?: Partial<ImportLimits>;
}

/** A model export that passed every check, reduced to the files the engine needs. */
export interface ValidatedModel {
  /** `model.json`, `card.json` and the weight shards; other selected files are dropped. */
  files: ModelFiles;
  card: CheckedCard;
  /** The whole parsed `card.json`, including fields the store does not check. */
  rawCard: Record<string, unknown>;
  sizeBytes: number;
  /** Fake probabilities the model gave the probe faces, in their order. */
  probeScores: number[];
}

/** Folder name under which the validator serves the candidate's files to the loader. */
const PROBE_FOLDER = 'candidate';

/**
 * Validates a model export before the store keeps it. The static checks cover the size limit,
 * the card fields, the weights manifest against the shard sizes, finite weights, a 128x128x1
 * input and one output tensor. Then the engine's loader loads the model, and it must return one
 * probability in [0, 1] per probe face. Throws a {@link ModelImportError} naming the first problem.
 */
export async function validateModel(files: ModelFiles, options: ValidationOptions): Promise<ValidatedModel> {
  const limits = resolveLimits(options.limits);
  const sizeBytes = totalBytes(files);
  if (sizeBytes > limits.maxModelBytes) {
    throw new ModelImportError('too-large', `Model import: the model's files total ${formatMebibytes(sizeBytes)}, over the ${formatMebibytes(limits.maxModelBytes)} limit.`);
  }

  const modelJson = parseModelJson(files);
  const cardBytes = files.get(CARD_JSON);
  if (cardBytes === undefined) {
    throw new ModelImportError('missing-file', `Model import: ${CARD_JSON} (the model card) is missing; the training CLI writes it next to ${MODEL_JSON}.`);
  }
  const rawCard = parseJson(cardBytes, CARD_JSON);
  const card = checkModelCard(rawCard);
  const shardPaths = checkWeights(modelJson, files);

  const exportFiles: ModelFiles = new Map();
  for (const path of [MODEL_JSON, CARD_JSON, ...shardPaths]) {
    exportFiles.set(path, files.get(path) as Uint8Array);
  }

  await checkTopology(modelJson, exportFiles);
  const probeScores = await probeOutputs(exportFiles, options);
  return { files: exportFiles, card, rawCard: rawCard as Record<string, unknown>, sizeBytes: totalBytes(exportFiles), probeScores };
}

/** Builds the model from memory to check its input and output signature; disposes it afterwards. */
async function checkTopology(modelJson: ModelJson, files: ModelFiles): Promise<void> {
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[];
  const shards = modelJson.weightsManifest.flatMap((group) => group.paths.map((path) => files.get(path.replace(/^\.\//, '')) as Uint8Array));
  const weightData = concatenateBuffers(shards);

  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
  } catch (error) {
    throw new ModelImportError('load-failed', `Model import: TF.js could not build the model from ${MODEL_JSON} and its weights (${describe(error)}); export it again with the training CLI.`);
  }
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new ModelImportError('invalid-topology', `Model import: the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the engine needs exactly one of each.`);
    }
    const inputShape = model.inputs[0].shape;
    const expected = [null, EXPECTED_INPUT.height, EXPECTED_INPUT.width, EXPECTED_INPUT.channels];
    if (JSON.stringify(inputShape) !== JSON.stringify(expected)) {
      throw new ModelImportError('invalid-topology', `Model import: the model's input shape is ${JSON.stringify(inputShape)}, but the engine feeds ${JSON.stringify(expected)} (batch, height, width, grey channel).`);
    }
  } finally {
    model.dispose();
  }
}

/** Runs the probe faces through the engine's loader and checks one probability in [0, 1] per face. */
async function probeOutputs(files: ModelFiles, options: ValidationOptions): Promise<number[]> {
  const faces = options.probeFaces ?? defaultProbeFaces();
  if (faces.length === 0) {
    throw new Error('Model validation: probeFaces is empty; pass at least one 128x128 grey face or leave it unset.');
  }
  const pixels = facesToPixels(faces);
  const readFile = createMemoryFileReader(PROBE_FOLDER, files);
  let classifier: ProbeClassifier | null;
  try {
    classifier = await options.loadClassifier(readFile, PROBE_FOLDER);
  } catch (error) {
    throw new ModelImportError('load-failed', `Model import: the engine's classifier loader rejected the model (${describe(error)}).`);
  }
  if (classifier === null) {
    throw new ModelImportError('load-failed', `Model import: the engine's classifier loader found no model in the export; check that ${MODEL_JSON} is included.`);
  }

  const batch = tf.tensor4d(pixels, [faces.length, PROBE_FACE_SIZE, PROBE_FACE_SIZE, 1]);
  let scores: Float32Array;
  try {
    scores = await classifier.predict(batch);
  } catch (error) {
    throw new ModelImportError('invalid-output', `Model import: running the model on ${faces.length} probe faces failed (${describe(error)}); its output does not fit the engine's contract of one probability per face.`);
  } finally {
    batch.dispose();
    classifier.dispose();
  }

  if (scores.length !== faces.length) {
    throw new ModelImportError('invalid-output', `Model import: the model returned ${scores.length} values for ${faces.length} faces; the engine needs one fake probability per face.`);
  }
  const outOfRange = Array.from(scores).findIndex((score) => !(score >= 0 && score <= 1));
  if (outOfRange >= 0) {
    throw new ModelImportError('invalid-output', `Model import: the model returned ${scores[outOfRange]} for probe face ${outOfRange}; a fake probability must lie in [0, 1].`);
  }
  return Array.from(scores);
}

/** Packs grey faces into [n, 128, 128, 1] values with pixels scaled to [0, 1], as the engine does. */
function facesToPixels(faces: Uint8Array[]): Float32Array {
  const pixelsPerFace = PROBE_FACE_SIZE * PROBE_FACE_SIZE;
  const pixels = new Float32Array(faces.length * pixelsPerFace);
  faces.forEach((face, i) => {
    if (face.length !== pixelsPerFace) {
      throw new Error(`Model validation: probe face ${i} has ${face.length} pixels; pass ${PROBE_FACE_SIZE}x${PROBE_FACE_SIZE} grey images.`);
    }
    for (let p = 0; p < pixelsPerFace; p++) {
      pixels[i * pixelsPerFace + p] = face[p] / 255;
    }
  });
  return pixels;
}

function concatenateBuffers(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined.buffer;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
