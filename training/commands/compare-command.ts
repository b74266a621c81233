import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { LOSS_NAMES, type LossName } from '../../src/engine/classifier';
import { activateTrainingBackend } from '../training-backend';
import { addDataOptions, applyCropFraming, type DataOptions } from './data-options';
import { percent } from './fit-report';
import { loadFaces, splitFaces } from './load-faces';
import { parseList } from './option-parsers';
import { addTrainOptions, type TrainFlags } from './train-options';
import { trainAndExport, type TrainedModel } from './train-and-export';

/**
 * Test accuracy and AUC per loss, in percent, published by the study this classifier follows
 * (MTCNN with a light AlexNet and four losses, PCSC 2024). Shown beside measured values, never measured here.
 */
export const PAPER_RESULTS: Record<LossName, { accuracy: number; auc: number }> = {
  bce: { accuracy: 89.08, auc: 75.58 },
  triplet: { accuracy: 85.71, auc: 72.04 },
  contrastive: { accuracy: 69.54, auc: 62.37 },
  'sparse-cce': { accuracy: 87.44, auc: 55.58 },
};

type CompareFlags = DataOptions & TrainFlags & { out: string; losses: string[]; table?: string };

function parseLosses(value: string): string[] {
  const losses = parseList(value);
  const unknown = losses.filter((loss) => !(LOSS_NAMES as readonly string[]).includes(loss));
  if (losses.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`expected losses from ${LOSS_NAMES.join(', ')}; got "${value}"`);
  return losses;
}

/** Builds `train compare`: train every loss on one split and write the comparison table. */
export function createCompareCommand(): Command {
  const command = new Command('compare').description('train several losses on one identical split and write a Markdown table of test accuracy and AUC per loss');
  addDataOptions(command);
  addTrainOptions(command, { withLoss: false });
  command
    .option('--losses <list>', 'losses to train, comma-separated', parseLosses, [...LOSS_NAMES])
    .option('--out <dir>', 'folder that receives one model folder per loss', '.cache/compare')
    .option('--table <file>', 'Markdown file for the comparison table (default <out>/compare.md)');
  command.action(async (flags: CompareFlags) => {
    applyCropFraming(command, flags);
    const backend = await activateTrainingBackend(flags.backend);
    console.error(`train: TF.js backend ${backend}`);
    const loaded = await loadFaces(flags);
    const splits = splitFaces(loaded, flags);

    const trained: TrainedModel[] = [];
    for (const loss of flags.losses as LossName[]) {
      // Each loss gets its own checkpoint folder, so --resume continues every one of them.
      const lossFlags = { ...flags, checkpointDir: flags.checkpointDir === undefined ? undefined : path.join(flags.checkpointDir, loss) };
      trained.push(await trainAndExport(loss, splits, loaded, flags, lossFlags, path.resolve(flags.out, loss)));
    }

    const table = compareMarkdown(trained, splits.test.count, flags.seed);
    const tablePath = path.resolve(flags.table ?? path.join(flags.out, 'compare.md'));
    await mkdir(path.dirname(tablePath), { recursive: true });
    await writeFile(tablePath, table);
    process.stdout.write(table);
    console.error(`train: comparison table written to ${tablePath}`);
  });
  return command;
}

/** Renders the per-loss table with the published numbers of PAPER_RESULTS beside the measured ones. */
export function compareMarkdown(trained: TrainedModel[], testFaces: number, seed: number): string {
  const lines = [
    `Test split: ${testFaces} faces, split seed ${seed}. Accuracy at threshold 0.5 of the calibrated probability; AUC per face and per video (mean face score).`,
    '',
    '| loss | accuracy | AUC (face) | AUC (video) | best epoch | paper accuracy | paper AUC |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const model of trained) {
    const paper = PAPER_RESULTS[model.loss];
    lines.push(`| ${model.loss} | ${percent(model.test.frameAccuracy)} | ${percent(model.test.frameAuc)} | ${percent(model.test.videoAuc)} | ${model.bestEpoch} of ${model.epochs} | ${paper.accuracy.toFixed(2)} % | ${paper.auc.toFixed(2)} % |`);
  }
  return `${lines.join('\n')}\n`;
}
