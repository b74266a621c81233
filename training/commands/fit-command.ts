import { realpathSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { LossName } from '../../src/engine/classifier';
import { activateTrainingBackend } from '../training-backend';
import { addDataOptions, applyCropFraming, type DataOptions } from './data-options';
import { loadFaces, splitFaces } from './load-faces';
import { addTrainOptions, type TrainFlags } from './train-options';
import { trainAndExport } from './train-and-export';

/** Options of `train fit`. */
type FitFlags = DataOptions & TrainFlags & { out?: string; replaceShipped: boolean };

/** The shipped default model, which a training run must not overwrite by accident. */
const SHIPPED_MODEL_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../models/classifier');

/** Builds `train fit`: train one loss, evaluate on the test split, calibrate and export. */
export function createFitCommand(): Command {
  const command = new Command('fit').description('train the classifier with one loss, evaluate it on the test split, calibrate it and export it with a model card');
  addDataOptions(command);
  addTrainOptions(command, { withLoss: true });
  command.option('--out <dir>', 'folder the model (model.json, weights, card.json) and its report/ are written to (default: trained-models/<loss>)');
  command.option('--replace-shipped', 'allow --out to be the shipped default model, models/classifier', false);
  command.action(async (flags: FitFlags) => {
    const outDir = path.resolve(flags.out ?? path.join('trained-models', flags.loss));
    if (sameFolder(outDir, SHIPPED_MODEL_DIR) && !flags.replaceShipped) {
      throw new Error(`train fit: --out ${flags.out} is the shipped default model; choose another folder, or add --replace-shipped to replace it on purpose`);
    }
    applyCropFraming(command, flags);
    const backend = await activateTrainingBackend(flags.backend);
    console.error(`train: TF.js backend ${backend}`);
    const loaded = await loadFaces(flags);
    const splits = splitFaces(loaded, flags);
    await trainAndExport(flags.loss as LossName, splits, loaded, flags, flags, outDir);
  });
  return command;
}

/** Returns true when both paths name one folder, following symbolic links where the folders exist. */
function sameFolder(first: string, second: string): boolean {
  const real = (folder: string): string => {
    try {
      return realpathSync(folder);
    } catch {
      return folder;
    }
  };
  return real(first) === real(second);
}
