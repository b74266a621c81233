import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ModelFileReader, RgbaImage } from '../src/engine/types';
import { createModelFileReader } from '../src/node/model-files';

/** Repository root, resolved from this file so tests run from any working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Research data folder next to the repository; tests that need it skip when it is missing. */
export const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** Reads model files from the repository's `models/` folder. */
export const readModelFile: ModelFileReader = createModelFileReader(path.join(REPO_ROOT, 'models'));

/** Decodes a JPEG or PNG file into RGBA pixels. */
export async function readImageFile(file: string): Promise<RgbaImage> {
  const bytes = await readFile(file);
  if (file.toLowerCase().endsWith('.png')) {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
  }
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

/** Activates the WASM backend, the engine's Node backend. */
export async function useWasmBackend(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}
