import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CELEBDF_TEST_LIST, readCelebDf } from './read-celebdf';
import { readDfdc } from './read-dfdc';
import { readFfpp, type FfppReaderOptions } from './read-ffpp';
import { readFolders } from './read-folders';
import type { DatasetListing, LayoutName } from './types';

/** Options passed to the readers. */
export interface ReadDatasetOptions {
  ffpp?: FfppReaderOptions;
}

/** Thrown when a folder matches no known layout or does not exist. */
export class DatasetLayoutError extends Error {
  override name = 'DatasetLayoutError';
}

/**
 * Detects the layout of a dataset folder from its top-level entries. Throws DatasetLayoutError
 * naming the folder when it matches none.
 */
export async function detectLayout(root: string): Promise<LayoutName> {
  let names: Set<string>;
  try {
    if (!(await stat(root)).isDirectory()) throw new DatasetLayoutError(`dataset reader: "${root}" is a file, expected a dataset folder`);
    names = new Set(await readdir(root));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DatasetLayoutError(`dataset reader: folder "${root}" does not exist`);
    throw error;
  }

  if (names.has('original_sequences') || names.has('manipulated_sequences')) return 'ffpp';
  if (names.has('Celeb-real') || names.has('Celeb-synthesis') || names.has('YouTube-real') || names.has(CELEBDF_TEST_LIST)) return 'celebdf';
  if (names.has('real') || names.has('fake')) return 'folders';
  if (names.has('metadata.json')) return 'dfdc';
  for (const name of names) {
    if (await isFile(path.join(root, name, 'metadata.json'))) return 'dfdc';
  }
  throw new DatasetLayoutError(
    `dataset reader: "${root}" is in no known layout; expected FaceForensics++ (original_sequences/, manipulated_sequences/), ` +
      'Celeb-DF v2 (Celeb-real/, Celeb-synthesis/, YouTube-real/), DFDC (metadata.json in the folder or its subfolders) ' +
      'or real/ and fake/ folders',
  );
}

/** Detects the layout of a folder and lists its items with the matching reader. */
export async function readDataset(root: string, options: ReadDatasetOptions = {}): Promise<DatasetListing> {
  const absoluteRoot = path.resolve(root);
  const layout = await detectLayout(absoluteRoot);
  switch (layout) {
    case 'ffpp':
      return readFfpp(absoluteRoot, options.ffpp);
    case 'celebdf':
      return readCelebDf(absoluteRoot);
    case 'dfdc':
      return readDfdc(absoluteRoot);
    case 'folders':
      return readFolders(absoluteRoot);
  }
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}
