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

/**
 * Detects the layout of a folder and lists its items with the matching reader. An empty class is
 * recorded as a problem, because a dataset of one class can only be combined with others.
 */
export async function readDataset(root: string, options: ReadDatasetOptions = {}): Promise<DatasetListing> {
  const absoluteRoot = path.resolve(root);
  const listing = await readLayout(absoluteRoot, await detectLayout(absoluteRoot), options);

  // The folder reader names the empty folder itself.
  if (listing.layout !== 'folders') {
    for (const [name, label] of [['real', 0], ['fake', 1]] as const) {
      if (listing.items.some((item) => item.label === label)) continue;
      listing.problems.push({ path: absoluteRoot, message: `dataset reader: ${listing.layout} dataset has no ${name} videos; train it together with a dataset that has them`, missingClass: label });
    }
  }
  return listing;
}

function readLayout(root: string, layout: LayoutName, options: ReadDatasetOptions): Promise<DatasetListing> {
  switch (layout) {
    case 'ffpp':
      return readFfpp(root, options.ffpp);
    case 'celebdf':
      return readCelebDf(root);
    case 'dfdc':
      return readDfdc(root);
    case 'folders':
      return readFolders(root);
  }
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}
