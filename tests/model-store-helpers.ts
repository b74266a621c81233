import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelFileReader } from '../src/engine/types';
import { ENGINE_VERSION } from '../src/engine/version';
import type { ModelFiles } from '../src/model-store/model-files';
import type { ProbeClassifier } from '../src/model-store/validate-model';

export const SHARD_NAME = 'group1-shard1of1.bin';

/** Options of the small stand-in classifier that has the exported model's input/output contract. */
export interface TinyModelOptions {
  /** Input side in pixels. Default 128, the engine's face size. */
  inputSize?: number;
  /** Output units. Default 1 (one sigmoid probability per face). */
  units?: number;
  activation?: 'sigmoid' | 'softmax' | 'linear';
  seed?: number;
}

/**
 * Builds a small `tf.sequential` model with the classifier's contract (input [n, 128, 128, 1],
 * one sigmoid output) and a seeded initialiser, so tests can make exports without training.
 */
export function buildTinyModel(options: TinyModelOptions = {}): tf.Sequential {
  const size = options.inputSize ?? 128;
  const seed = options.seed ?? 1;
  const model = tf.sequential({ name: 'tiny_classifier' });
  model.add(tf.layers.conv2d({ inputShape: [size, size, 1], filters: 4, kernelSize: 5, strides: 4, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.maxPooling2d({ poolSize: 4, strides: 4 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: options.units ?? 1, activation: options.activation ?? 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

/** A card that passes every check; tests delete or change fields to break it. */
export function validCard(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny-test-model',
    version: '0.0.1',
    loss: 'bce',
    createdAt: '2026-12-04T20:00:00.000Z',
    datasets: [{ name: 'synthetic', faces: 0 }],
    split: { method: 'none', seed: 1 },
    metrics: { validation: { auc: 0.5, accuracy: 0.5 } },
    input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face' },
    calibration: null,
    engineVersion: ENGINE_VERSION,
    trained: true,
    ...overrides,
  };
}

/** Saves a model the way the training CLI exports it: `model.json`, one weight shard and `card.json`. */
export async function exportToFiles(model: tf.LayersModel, card: Record<string, unknown> = validCard()): Promise<ModelFiles> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const saved = artifacts as unknown as tf.io.ModelArtifacts;
  const weightData = tf.io.CompositeArrayBuffer.join(saved.weightData);
  const modelJson = {
    format: 'layers-model',
    generatedBy: saved.generatedBy,
    convertedBy: saved.convertedBy,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [SHARD_NAME], weights: saved.weightSpecs }],
  };
  return new Map<string, Uint8Array>([
    ['model.json', new TextEncoder().encode(JSON.stringify(modelJson))],
    [SHARD_NAME, new Uint8Array(weightData)],
    ['card.json', new TextEncoder().encode(JSON.stringify(card))],
  ]);
}

/** Builds the tiny model and exports it. */
export async function makeTinyExport(options: TinyModelOptions = {}, card: Record<string, unknown> = validCard()): Promise<ModelFiles> {
  const model = buildTinyModel(options);
  try {
    return await exportToFiles(model, card);
  } finally {
    model.dispose();
  }
}

/** Copies a file map, so a test can corrupt one file without touching the original. */
export function copyFiles(files: ModelFiles): ModelFiles {
  return new Map([...files].map(([path, bytes]) => [path, bytes.slice()]));
}

export function readJson(files: ModelFiles, path: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(files.get(path))) as Record<string, unknown>;
}

export function writeJson(files: ModelFiles, path: string, value: unknown): void {
  files.set(path, new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * Stand-in for the engine's `loadClassifier`, for tests of the validator's own checks: loads
 * `folder/model.json` and returns the model's output values flattened, with no calibration.
 */
export async function loadLayersClassifier(readFile: ModelFileReader, folder: string): Promise<ProbeClassifier | null> {
  const modelJson = JSON.parse(new TextDecoder().decode(await readFile(`${folder}/model.json`))) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const shards = await Promise.all(modelJson.weightsManifest.flatMap((group) => group.paths.map((path) => readFile(`${folder}/${path}`))));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
      weightData: tf.io.CompositeArrayBuffer.join(shards),
    }),
  );
  return {
    async predict(faces: tf.Tensor4D): Promise<Float32Array> {
      const output = model.predict(faces) as tf.Tensor;
      try {
        return (await output.data()) as Float32Array;
      } finally {
        output.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

/** Stand-in loader whose classifier returns fixed scores, to test the range and count checks. */
export function fixedScoreLoader(scores: number[]): (readFile: ModelFileReader, folder: string) => Promise<ProbeClassifier> {
  return async () => ({
    predict: async () => Float32Array.from(scores),
    dispose: () => undefined,
  });
}

/** Activates the WASM backend, as the engine does in Node. */
export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}
