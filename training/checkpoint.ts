import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModelFromFolder, saveModelToFolder } from './model/model-files';

/** One epoch of the training history. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's steps. */
  loss: number;
  /** Training steps run; fewer than a full epoch when the time budget ended it. */
  steps: number;
  valLoss?: number;
  /** Validation ROC AUC; NaN when the validation set lacks a class. */
  valAuc: number;
}

/** Everything besides weights needed to continue a run after its last finished epoch. */
export interface CheckpointState {
  /** Last finished epoch, 1-based. */
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number;
  bestAuc: number;
  /** State of the seeded generator after that epoch. */
  randomState: number;
  /** Options fingerprint; a resume with other options is rejected. */
  fingerprint: string;
  /** Hash of each fingerprinted setting, so a rejected resume can name the settings that changed. */
  settingHashes?: Record<string, string>;
  optimizerWeightSpecs: tf.io.WeightsManifestEntry[];
}

const STATE_FILE = 'state.json';
const OPTIMIZER_FILE = 'optimizer.bin';

/**
 * Writes the model after the latest epoch (`latest/`), the best model so far (`best/`, only when
 * `isBest`), the optimizer's slots and the loop state. The state file is written last and
 * renamed into place, so a crash mid-write leaves the previous checkpoint readable.
 */
export async function writeCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: Omit<CheckpointState, 'optimizerWeightSpecs'>,
  isBest: boolean,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveModelToFolder(model, path.join(dir, 'latest'));
  if (isBest) {
    await rm(path.join(dir, 'best'), { recursive: true, force: true });
    await saveModelToFolder(model, path.join(dir, 'best'));
  }
  const encoded = await tf.io.encodeWeights(await optimizer.getWeights());
  await writeFile(path.join(dir, OPTIMIZER_FILE), new Uint8Array(encoded.data));
  const full: CheckpointState = { ...state, optimizerWeightSpecs: encoded.specs };
  await writeFile(path.join(dir, `${STATE_FILE}.partial`), JSON.stringify(full, null, 1));
  await rename(path.join(dir, `${STATE_FILE}.partial`), path.join(dir, STATE_FILE));
}

/** Returns the checkpoint state in `dir`, or null when there is none. */
export async function readCheckpointState(dir: string): Promise<CheckpointState | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8')) as CheckpointState;
  } catch {
    return null;
  }
}

/** Loads the latest and best weights of a checkpoint into `model` and a copy, and the optimizer slots. */
export async function restoreCheckpoint(dir: string, state: CheckpointState, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<tf.Tensor[]> {
  const latest = await loadModelFromFolder(path.join(dir, 'latest'));
  model.setWeights(latest.getWeights());
  latest.dispose();
  const best = await loadModelFromFolder(path.join(dir, 'best'));
  const bestWeights = best.getWeights().map((weight) => weight.clone());
  best.dispose();

  const data = await readFile(path.join(dir, OPTIMIZER_FILE));
  const slots = tf.io.decodeWeights(new Uint8Array(data).buffer, state.optimizerWeightSpecs);
  await optimizer.setWeights(state.optimizerWeightSpecs.map((spec) => ({ name: spec.name, tensor: slots[spec.name] })));
  return bestWeights;
}
