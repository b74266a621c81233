import { Option, type Command } from 'commander';
import { LOSS_NAMES, type LossName } from '../../src/engine/classifier';
import type { TrainingBackendName } from '../training-backend';
import type { TrainOptions } from '../train-loop';
import { integerAtLeast, numberBetween, parseQualityRange } from './option-parsers';

/** Training options as parsed from the command line. */
export interface TrainFlags {
  loss: LossName;
  epochs: number;
  batchSize: number;
  learningRate: number;
  dropout: number;
  balance: boolean;
  flip: boolean;
  brightness: number;
  contrast: number;
  jpegQuality?: [number, number];
  patience: number;
  margin?: number;
  tripletAnchors: 'real' | 'both';
  embeddingFitFaces: number;
  checkpointDir?: string;
  resume: boolean;
  timeBudget?: number;
  calibration: 'temperature' | 'platt';
  backend?: TrainingBackendName;
}

/** Adds the training options to a command; `withLoss` adds `--loss` (compare trains every loss instead). */
export function addTrainOptions(command: Command, config: { withLoss: boolean }): Command {
  if (config.withLoss) {
    command.addOption(new Option('--loss <name>', 'training loss').choices([...LOSS_NAMES]).default('bce'));
  }
  return command
    .option('--epochs <n>', 'maximum number of epochs', integerAtLeast(1), 10)
    .option('--batch-size <n>', 'faces per training step', integerAtLeast(2), 32)
    .option('--learning-rate <rate>', 'Adam learning rate', numberBetween(1e-8, 1), 1e-3)
    .option('--dropout <rate>', 'dropout rate after the 128-unit dense layer (classification losses only)', numberBetween(0, 0.95), 0.5)
    .option('--no-balance', 'do not oversample the minority class (by default both classes are seen equally often per epoch)')
    .option('--flip', 'augment: mirror faces left-right with probability 0.5', false)
    .option('--brightness <fraction>', 'augment: maximum brightness shift, as a fraction of full scale', numberBetween(0, 1), 0)
    .option('--contrast <fraction>', 'augment: maximum contrast change, as a fraction (0.2 scales by 0.8 to 1.2)', numberBetween(0, 1), 0)
    .option('--jpeg-quality <min,max>', 'augment: re-compress half the faces as JPEG at a quality from min to max (1-100)', parseQualityRange)
    .option('--patience <epochs>', 'stop after this many epochs without a better validation AUC (0 = never stop early)', integerAtLeast(0), 0)
    .option('--margin <distance>', 'margin of the triplet and contrastive losses, in embedding units (unit vectors lie 0 to 2 apart; default 1)', numberBetween(0, 2))
    .addOption(new Option('--triplet-anchors <kind>', 'triplet anchors: "real" pulls reals together and pushes fakes away, "both" uses anchors of either class').choices(['real', 'both']).default('real'))
    .option('--embedding-fit-faces <n>', 'training faces the logistic regression of an embedding loss is fitted on, at most', integerAtLeast(2), 4000)
    .option('--checkpoint-dir <dir>', 'folder for per-epoch checkpoints (default .cache/checkpoints/<loss>)')
    .addOption(
      new Option('--calibration <method>', 'calibration fitted on the validation split and stored in the card: "temperature" keeps 50 % where the model put it, "platt" also shifts it to the validation split\'s class balance')
        .choices(['temperature', 'platt'])
        .default('temperature'),
    )
    .option('--time-budget <minutes>', 'stop training after this many minutes (at least 0.1): the epoch in progress ends early, is validated, and the best epoch is exported', numberBetween(0.1, 100000))
    .option('--resume', 'continue from the checkpoint in the checkpoint folder when it was written with the same options and data', false)
    .addOption(new Option('--backend <name>', 'TF.js backend for training (default: tensorflow when @tensorflow/tfjs-node is installed, else wasm)').choices(['tensorflow', 'wasm', 'cpu']));
}

/** Converts parsed flags into the train loop's options for one loss. */
export function toTrainOptions(flags: TrainFlags, loss: LossName, seed: number): TrainOptions {
  return {
    loss,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.learningRate,
    dropout: flags.dropout,
    balanceClasses: flags.balance,
    augment: { flip: flags.flip, brightness: flags.brightness, contrast: flags.contrast, jpegQuality: flags.jpegQuality },
    earlyStoppingPatience: flags.patience,
    seed,
    checkpointDir: flags.checkpointDir ?? `.cache/checkpoints/${loss}`,
    resume: flags.resume,
    timeBudgetSeconds: flags.timeBudget === undefined ? undefined : flags.timeBudget * 60,
    lossOptions: { triplet: { margin: flags.margin, anchors: flags.tripletAnchors }, contrastive: { margin: flags.margin } },
    embeddingFitFaces: flags.embeddingFitFaces,
  };
}
