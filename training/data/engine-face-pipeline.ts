import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { alignFace } from '../../src/engine/align';
import { createMtcnn } from '../../src/engine/mtcnn';
import { ENGINE_VERSION } from '../../src/engine/version';
import { createModelFileReader, MODELS_DIR } from '../../src/node/model-files';
import type { FacePipeline } from './face-extractor';

/**
 * Returns the version of the face pipeline: the engine's pre-processing version and a SHA-256 of
 * the MTCNN weight files, so new weights or a new alignment invalidate cached faces.
 */
export async function enginePipelineVersion(modelsDir: string = MODELS_DIR): Promise<string> {
  const mtcnnDir = path.join(modelsDir, 'mtcnn');
  const hash = createHash('sha256');
  let names: string[];
  try {
    names = (await readdir(mtcnnDir)).sort();
  } catch (error) {
    throw new Error(`face pipeline: MTCNN weights folder ${mtcnnDir} cannot be read (${(error as Error).message}); check out the repository's models/ folder`);
  }
  for (const name of names) {
    hash.update(name);
    hash.update(await readFile(path.join(mtcnnDir, name)));
  }
  return `engine-${ENGINE_VERSION}-mtcnn-${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Loads the engine's MTCNN (on the active TF.js backend) with `alignFace`, the same detection
 * and alignment `scan` and the extension use, so training faces match the faces scored later.
 */
export async function loadEnginePipeline(modelsDir: string = MODELS_DIR): Promise<FacePipeline> {
  const version = await enginePipelineVersion(modelsDir);
  const mtcnn = await createMtcnn(createModelFileReader(modelsDir));
  return {
    version,
    detect: (image, minFaceSize) => mtcnn.detect(image, { minFaceSize }),
    align: (image, landmarks, size) => alignFace(image, landmarks, size),
  };
}
