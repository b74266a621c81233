import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listMediaFiles, relativeId, stemOf, videoIdOf } from './media-files';
import type { DatasetItem, DatasetListing, DatasetProblem } from './types';

/** Folders of a Celeb-DF v2 release with their label and method name. */
const CELEBDF_FOLDERS = [
  { folder: 'Celeb-real', label: 0, method: 'real' },
  { folder: 'YouTube-real', label: 0, method: 'real' },
  { folder: 'Celeb-synthesis', label: 1, method: 'Celeb-synthesis' },
] as const;

/** File that lists the official test videos, one `<label> <folder>/<file>` a line. */
export const CELEBDF_TEST_LIST = 'List_of_testing_videos.txt';

/**
 * Reads a Celeb-DF v2 release. Videos named in `List_of_testing_videos.txt` are marked as the
 * official test split; the others are left to the splitter.
 */
export async function readCelebDf(root: string): Promise<DatasetListing> {
  const items: DatasetItem[] = [];
  const problems: DatasetProblem[] = [];
  const testList = await readTestList(root, problems);

  for (const { folder, label, method } of CELEBDF_FOLDERS) {
    for (const file of await listMediaFiles(path.join(root, folder), { recursive: false })) {
      if (file.kind !== 'video') continue;
      const relative = relativeId(root, file.path);
      items.push({
        path: file.path,
        label,
        kind: 'video',
        method,
        videoId: videoIdOf('celebdf', root, file.path),
        identities: celebDfIdentities(folder, stemOf(file.path)),
        officialSplit: testList?.has(relative) === true ? 'test' : undefined,
        layout: 'celebdf',
      });
    }
  }

  if (testList !== null) {
    const found = new Set(items.map((item) => relativeId(root, item.path)));
    const missing = [...testList].filter((relative) => !found.has(relative));
    if (missing.length > 0) {
      problems.push({ path: path.join(root, CELEBDF_TEST_LIST), message: `Celeb-DF reader: ${missing.length} listed test videos are not on disk (first: ${missing[0]}); the test split is smaller than the official one` });
    }
  }
  return { root, layout: 'celebdf', items, problems, hasOfficialTestSplit: testList !== null };
}

/** Reads the official test list as a set of `<folder>/<file>` paths, or null when it is absent. */
async function readTestList(root: string, problems: DatasetProblem[]): Promise<Set<string> | null> {
  const listPath = path.join(root, CELEBDF_TEST_LIST);
  let text: string;
  try {
    text = await readFile(listPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  const listed = new Set<string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const match = /^[01]\s+(\S+)$/.exec(trimmed);
    if (match === null) {
      problems.push({ path: listPath, message: `Celeb-DF reader: line ${index + 1} "${trimmed}" is not "<0|1> <folder>/<file>"; line ignored` });
      return;
    }
    listed.add(match[1]);
  });
  return listed;
}

/**
 * Returns the identity keys of a Celeb-DF file: `idX_NNNN` is celebrity X, a fake `idX_idY_NNNN`
 * puts the face of Y on X (both identities), and a YouTube clip is its own group.
 */
export function celebDfIdentities(folder: string, stem: string): string[] {
  const swap = /^(id\d+)_(id\d+)_\d+$/.exec(stem);
  if (swap !== null) return [`celebdf:${swap[1]}`, `celebdf:${swap[2]}`];
  const celebrity = /^(id\d+)_\d+$/.exec(stem);
  if (celebrity !== null) return [`celebdf:${celebrity[1]}`];
  return [`celebdf:${folder}:${stem}`];
}
