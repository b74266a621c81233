import * as tf from '@tensorflow/tfjs';
import type { ModelFileReader } from '../types';
import './l2-normalize-layer';
import type { ModelCard } from './model-card';

/** A loaded face classifier. */
export interface Classifier {
  /**
   * Returns one calibrated fake probability per face. `faces` is [n, 128, 128, 1], grey in [0, 1]
   * (the aligned face divided by 255). The caller keeps ownership of `faces`.
   */
  predict(faces: tf.Tensor4D): Promise<Float32Array>;
  card: ModelCard;
  dispose(): void;
}

/** Keeps logits finite for probabilities of exactly 0 or 1. */
const LOGIT_EPSILON = 1e-7;

/**
 * Loads `<folder>/model.json`, its weight shards and `<folder>/card.json` through `readFile`.
 * Returns null when the folder has no `model.json`. Throws when the card is missing or the
 * model's output is not one sigmoid unit or a 2-way softmax.
 */
export async function loadClassifier(readFile: ModelFileReader, folder = 'classifier'): Promise<Classifier | null> {
  let modelJson: ArrayBuffer;
  try {
    modelJson = await readFile(`${folder}/model.json`);
  } catch {
    return null;
  }
  let card: ModelCard;
  try {
    card = JSON.parse(await readText(readFile, `${folder}/card.json`)) as ModelCard;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new Error(`loadClassifier: ${folder}/card.json is not valid JSON (${error.message}); restore it from the training export`);
  }
  const model = await tf.loadLayersModel(modelFileHandler(readFile, folder, modelJson));
  const outputUnits = (model.outputs[0].shape as number[])[1];
  if (outputUnits !== 1 && outputUnits !== 2) {
    model.dispose();
    throw new Error(`loadClassifier: ${folder}/model.json outputs ${outputUnits} units; a classifier outputs one fake probability or a 2-way softmax. Re-export it with exportClassifier`);
  }
  return new LayersClassifier(model, card, outputUnits);
}

class LayersClassifier implements Classifier {
  constructor(
    private readonly model: tf.LayersModel,
    readonly card: ModelCard,
    private readonly outputUnits: number,
  ) {}

  async predict(faces: tf.Tensor4D): Promise<Float32Array> {
    if (faces.shape[0] === 0) {
      return new Float32Array(0);
    }
    const { slope, intercept } = logitMapping(this.card.calibration);
    const probabilities = tf.tidy(() => {
      const output = this.model.predict(faces) as tf.Tensor2D;
      const fake = this.outputUnits === 2 ? tf.slice(output, [0, 1], [-1, 1]) : output;
      return calibrate(tf.reshape(fake, [-1]), slope, intercept);
    });
    try {
      return (await probabilities.data()) as Float32Array;
    } finally {
      probabilities.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Returns the card's calibration as sigmoid(slope * logit(p) + intercept); a temperature T is slope 1 / T. */
export function logitMapping(calibration: ModelCard['calibration']): { slope: number; intercept: number } {
  if (calibration === null || calibration === undefined) return { slope: 1, intercept: 0 };
  if (calibration.method === 'platt') return { slope: calibration.slope, intercept: calibration.intercept };
  return { slope: 1 / calibration.temperature, intercept: 0 };
}

/** Maps probabilities through sigmoid(slope * logit(p) + intercept), which covers temperature and Platt scaling. */
export function calibrate(probabilities: tf.Tensor, slope: number, intercept = 0): tf.Tensor {
  if (slope === 1 && intercept === 0) {
    return tf.clone(probabilities);
  }
  return tf.tidy(() => {
    const p = tf.clipByValue(probabilities, LOGIT_EPSILON, 1 - LOGIT_EPSILON);
    const logit = tf.log(tf.div(p, tf.sub(1, p)));
    return tf.sigmoid(tf.add(tf.mul(logit, slope), intercept));
  });
}

async function readText(readFile: ModelFileReader, relativePath: string): Promise<string> {
  try {
    return new TextDecoder().decode(await readFile(relativePath));
  } catch (error) {
    throw new Error(`loadClassifier: cannot read ${relativePath} (${(error as Error).message}); export the model with its card.json`);
  }
}

/** Creates an IOHandler that reads a TF.js layers model and its shards through the model file reader. */
function modelFileHandler(readFile: ModelFileReader, folder: string, modelJson: ArrayBuffer): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(new TextDecoder().decode(modelJson)) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const shards: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const shardPath of group.paths) {
          shards.push(await readFile(`${folder}/${shardPath}`));
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: tf.io.concatenateArrayBuffers(shards),
      };
    },
  };
}
