/**
 * The `train` CLI: `fit` trains and exports one classifier, `evaluate` scores a dataset with an
 * exported model, and `compare` trains every loss on one split. Run with `npm run train -- --help`.
 */
import { Command } from 'commander';
import { createCompareCommand } from './commands/compare-command';
import { createEvaluateCommand } from './commands/evaluate-command';
import { createFitCommand } from './commands/fit-command';

const program = new Command('train')
  .description('train, evaluate and compare the deepfake face classifier on FaceForensics++, Celeb-DF v2, DFDC or real/ + fake/ folders')
  .showHelpAfterError()
  .addCommand(createFitCommand())
  .addCommand(createEvaluateCommand())
  .addCommand(createCompareCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`train: ${(error as Error).message.replace(/^train: /, '')}`);
  process.exitCode = 1;
}
