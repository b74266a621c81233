import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listMediaFiles, relativeId, stemOf, videoIdOf } from './media-files';
import type { DatasetItem, DatasetListing, DatasetProblem } from './types';

/** One row of `labels.csv`. */
interface LabelRow {
  label: 0 | 1;
  /** File name of the real video or image the fake was made from, or '' for reals. */
  original: string;
}

/**
 * Reads a plain layout: `real/` and `fake/` contain videos or images (subfolders included). An
 * optional `labels.csv` with the header `path,label,original` names each fake's source, so a fake
 * and its source (matched by file name without extension) share a group. Without it every file is
 * its own group.
 */
export async function readFolders(root: string): Promise<DatasetListing> {
  const items: DatasetItem[] = [];
  const problems: DatasetProblem[] = [];
  const labels = await readLabelsCsv(root, problems);

  for (const [folder, label] of [['real', 0], ['fake', 1]] as const) {
    for (const file of await listMediaFiles(path.join(root, folder), { recursive: true })) {
      const relative = relativeId(root, file.path);
      const row = labels?.get(relative);
      if (row !== undefined && row.label !== label) {
        problems.push({ path: file.path, message: `folder reader: labels.csv labels "${relative}" ${row.label === 1 ? 'FAKE' : 'REAL'} but it sits in ${folder}/; skipped` });
        continue;
      }
      const source = label === 1 && row !== undefined && row.original !== '' ? row.original : relative;
      items.push({
        path: file.path,
        label,
        kind: file.kind,
        method: label === 1 ? 'fake' : 'real',
        videoId: videoIdOf('folders', root, file.path),
        identities: [`folders:${path.basename(root)}:${stemOf(source)}`],
        layout: 'folders',
      });
    }
  }

  for (const [name, count] of [['real', items.filter((item) => item.label === 0).length], ['fake', items.filter((item) => item.label === 1).length]] as const) {
    if (count === 0) problems.push({ path: path.join(root, name), message: `folder reader: class "${name}" is empty (no video or image in ${name}/)` });
  }
  return { root, layout: 'folders', items, problems, hasOfficialTestSplit: false };
}

/** Reads `labels.csv` keyed by its `path` column, or null when the file is absent. */
async function readLabelsCsv(root: string, problems: DatasetProblem[]): Promise<Map<string, LabelRow> | null> {
  const csvPath = path.join(root, 'labels.csv');
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  const lines = text.split(/\r?\n/);
  const header = lines[0].trim().toLowerCase().split(',').map((cell) => cell.trim());
  const pathColumn = header.indexOf('path');
  const labelColumn = header.indexOf('label');
  const originalColumn = header.indexOf('original');
  if (pathColumn < 0 || labelColumn < 0) {
    problems.push({ path: csvPath, message: `folder reader: labels.csv header "${lines[0]}" lacks the columns path and label; file ignored, every file is its own group` });
    return null;
  }

  const rows = new Map<string, LabelRow>();
  for (let index = 1; index < lines.length; index++) {
    if (lines[index].trim() === '') continue;
    // NOTE: plain comma splitting; quoted cells with commas inside are not supported.
    const cells = lines[index].split(',').map((cell) => cell.trim());
    const label = parseLabel(cells[labelColumn]);
    if (cells[pathColumn] === undefined || cells[pathColumn] === '' || label === null) {
      problems.push({ path: csvPath, message: `folder reader: labels.csv line ${index + 1} "${lines[index]}" has no path or a label other than REAL/FAKE; line ignored` });
      continue;
    }
    rows.set(cells[pathColumn].replace(/^\.\//, ''), { label, original: originalColumn >= 0 ? (cells[originalColumn] ?? '') : '' });
  }
  return rows;
}

function parseLabel(cell: string | undefined): 0 | 1 | null {
  const value = (cell ?? '').toUpperCase();
  if (value === 'FAKE' || value === '1') return 1;
  if (value === 'REAL' || value === '0') return 0;
  return null;
}
