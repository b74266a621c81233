import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadClassifier, type Classifier } from '../../src/engine/classifier';
import { createModelFileReader } from '../../src/node/model-files';
import type { FaceDataset } from '../data/face-dataset';

/** Faces per prediction batch; 256 faces of 128x128 float32 take 16 MiB. */
const PREDICT_BATCH_SIZE = 256;
const FACE_SIZE = 128;

/** Loads the classifier in `modelDir` (`model.json`, weight shards, `card.json`). */
export async function loadClassifierFromFolder(modelDir: string): Promise<Classifier> {
  const absolute = path.resolve(modelDir);
  const classifier = await loadClassifier(createModelFileReader(path.dirname(absolute)), path.basename(absolute));
  if (classifier === null) {
    throw new Error(`train: no model.json in ${absolute}; pass the folder that fit or compare wrote with --out`);
  }
  return classifier;
}

/** Returns the classifier's fake probability for every face of a dataset, in order. */
export async function predictFaces(classifier: Classifier, dataset: FaceDataset): Promise<Float32Array> {
  const scores = new Float32Array(dataset.count);
  const faceBytes = FACE_SIZE * FACE_SIZE;
  for (let start = 0; start < dataset.count; start += PREDICT_BATCH_SIZE) {
    const count = Math.min(PREDICT_BATCH_SIZE, dataset.count - start);
    const pixels = new Float32Array(count * faceBytes);
    const bytes = dataset.images.subarray(start * faceBytes, (start + count) * faceBytes);
    for (let i = 0; i < pixels.length; i++) pixels[i] = bytes[i] / 255;
    const batch = tf.tensor4d(pixels, [count, FACE_SIZE, FACE_SIZE, 1]);
    try {
      scores.set(await classifier.predict(batch), start);
    } finally {
      batch.dispose();
    }
  }
  return scores;
}
