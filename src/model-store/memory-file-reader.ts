import type { ModelFileReader } from '../engine/types';
import type { ModelFiles } from './model-files';

/**
 * Creates a `ModelFileReader` that serves `files` under `folder/` and passes every other path
 * to `fallback` (the extension's bundled `models/`, which still provides MTCNN). Without a
 * fallback, other paths fail with a message naming the path.
 */
export function createMemoryFileReader(folder: string, files: ModelFiles, fallback?: ModelFileReader): ModelFileReader {
  const prefix = `${folder}/`;
  return async (relativePath: string): Promise<ArrayBuffer> => {
    const normalized = relativePath.replace(/^\.\//, '');
    if (normalized.startsWith(prefix)) {
      const bytes = files.get(normalized.slice(prefix.length).replace(/^\.\//, ''));
      if (bytes === undefined) {
        throw new Error(`Model store: ${normalized} is not part of the imported model; import the complete export again.`);
      }
      // Copy so that callers which transfer or detach the buffer leave the stored files intact.
      return bytes.slice().buffer as ArrayBuffer;
    }
    if (fallback === undefined) {
      throw new Error(`Model store: ${normalized} is outside the imported model folder ${folder}.`);
    }
    return fallback(relativePath);
  };
}
