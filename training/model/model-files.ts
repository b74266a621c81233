import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Name of the single weight shard a saved model gets; the AlexNet's weights fit in about 1.3 MB. */
const SHARD_NAME = 'weights.bin';

/**
 * Saves a layers model as `model.json` plus one weight shard in `folder`, the layout
 * `tf.loadLayersModel` and the engine's `loadClassifier` read. Node only: pure TF.js has no
 * file-system handler without `@tensorflow/tfjs-node`.
 */
export async function saveModelToFolder(model: tf.LayersModel, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [SHARD_NAME], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(folder, SHARD_NAME), new Uint8Array(weightData));
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a model saved by `saveModelToFolder`. */
export async function loadModelFromFolder(folder: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel({
    load: async () => {
      const json = JSON.parse(await readFile(path.join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const shards = await Promise.all(json.weightsManifest.flatMap((group) => group.paths).map((file) => readFile(path.join(folder, file))));
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: tf.io.concatenateArrayBuffers(shards.map((shard) => new Uint8Array(shard).buffer)),
      };
    },
  });
}
