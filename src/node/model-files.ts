import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelFileReader } from '../engine/types';

/** The repository's `models/` folder, where the committed weights live. */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** Creates a reader for model files below `root` (default: the repository's `models/`). */
export function createModelFileReader(root: string = MODELS_DIR): ModelFileReader {
  return async (relativePath: string): Promise<ArrayBuffer> => {
    const fullPath = path.resolve(root, relativePath);
    if (!fullPath.startsWith(path.resolve(root) + path.sep)) {
      throw new Error(`Model file path ${relativePath} leaves the models folder ${root}`);
    }
    const bytes = await readFile(fullPath);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
}
