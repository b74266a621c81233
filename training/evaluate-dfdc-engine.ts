/**
 * Scores the held-out DFDC face crops through the whole engine (MTCNN, then the classifier's
 * framing, then the classifier), the path the extension and `scan` take, and prints the AUC.
 * It uses the validation groups of `train-default-model.ts` (same fraction and seed).
 *
 *   npx tsx training/evaluate-dfdc-engine.ts [--data ../shared/data/dfdc-faces] [--limit N]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { createEngine } from '../src/engine/engine';
import { createModelFileReader } from '../src/node/model-files';
import { isValidationGroup, parseDfdcLabels } from './dfdc-faces-loader';
import { rocAuc } from './metrics/roc';

const VALIDATION_FRACTION = 0.1;
const SEED = 1;
/** The crops are 224 px and the face fills most of them, so small detections are not the face. */
const MIN_FACE_SIZE = 40;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/dfdc-faces' }, limit: { type: 'string', default: '0' } } });
  const root = values.data as string;
  const limit = Number(values.limit);
  tf.enableProdMode();

  const all = parseDfdcLabels(await readFile(path.join(root, 'labels.csv'), 'utf8'));
  const validation = all.filter((record) => isValidationGroup(record.group, VALIDATION_FRACTION, SEED));
  const records = limit > 0 ? validation.slice(0, limit) : validation;
  const engine = await createEngine({ readFile: createModelFileReader(), backends: ['wasm'] });

  const scores: number[] = [];
  const labels: number[] = [];
  let missed = 0;
  for (const record of records) {
    const decoded = jpeg.decode(await readFile(path.join(root, record.path)), { useTArray: true, formatAsRGBA: true });
    const faces = await engine.analyzeFrame({ width: decoded.width, height: decoded.height, data: decoded.data }, { minFaceSize: MIN_FACE_SIZE });
    const largest = faces.sort((a, b) => b.box.width - a.box.width)[0];
    if (largest?.fakeProbability == null) {
      missed += 1;
      continue;
    }
    scores.push(largest.fakeProbability);
    labels.push(record.label);
  }
  engine.dispose();

  const framing = engine.model?.input.framing?.kind ?? 'aligned';
  console.log(`model ${engine.model?.name} ${engine.model?.version}, framing ${framing}`);
  console.log(`validation crops ${records.length}, scored ${scores.length}, no face found ${missed}`);
  console.log(`AUC through the engine ${rocAuc(scores, labels).toFixed(4)}, mean score ${(scores.reduce((sum, s) => sum + s, 0) / scores.length).toFixed(3)}`);
}

main().catch((error: unknown) => {
  console.error(`evaluate-dfdc-engine failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
