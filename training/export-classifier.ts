import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelCard } from '../src/engine/classifier/model-card';
import { saveModelToFolder } from './model/model-files';
import type { TrainResult } from './train-loop';

/**
 * Writes a trained classifier for the engine: `model.json` and its weight shard (the model
 * outputs the fake probability, with an embedding model's logistic regression baked in as a
 * final dense layer) and `card.json`. The temperature in `card.calibration` is applied by
 * `loadClassifier` at prediction time.
 */
export async function exportClassifier(result: Pick<TrainResult, 'model'>, card: ModelCard, outDir: string): Promise<void> {
  await saveModelToFolder(result.model, outDir);
  await writeFile(path.join(outDir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
}
