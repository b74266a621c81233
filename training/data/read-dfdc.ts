import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { listMediaFiles, listSubfolders, relativeId, stemOf, videoIdOf } from './media-files';
import type { DatasetItem, DatasetListing, DatasetProblem } from './types';

/** One entry of a DFDC `metadata.json`. */
interface DfdcEntry {
  label: 'FAKE' | 'REAL';
  split?: string;
  original?: string | null;
}

/**
 * Reads a Deepfake Detection Challenge folder: the root or each of its subfolders (the release's
 * `dfdc_train_part_N`) holds videos and a `metadata.json` mapping `file.mp4` to
 * `{label: "FAKE"|"REAL", split, original}`. A fake shares its group with its `original`.
 */
export async function readDfdc(root: string): Promise<DatasetListing> {
  const items: DatasetItem[] = [];
  const problems: DatasetProblem[] = [];
  const folders = [root, ...(await listSubfolders(root)).map((name) => path.join(root, name))];

  for (const folder of folders) {
    const videos = (await listMediaFiles(folder, { recursive: false })).filter((file) => file.kind === 'video');
    const metadata = await readMetadata(folder, videos.length, problems);
    if (metadata === null) continue;

    const listed = new Set<string>();
    for (const [fileName, entry] of metadata) {
      listed.add(fileName);
      const filePath = path.join(folder, fileName);
      if (!(await isFile(filePath))) {
        problems.push({ path: filePath, message: `DFDC reader: "${fileName}" is listed in metadata.json but not on disk; skipped` });
        continue;
      }
      const label = entry.label === 'FAKE' ? 1 : 0;
      const source = label === 1 && typeof entry.original === 'string' ? entry.original : fileName;
      items.push({
        path: filePath,
        label,
        kind: 'video',
        method: label === 1 ? 'DFDC' : 'real',
        videoId: videoIdOf('dfdc', root, filePath),
        identities: [`dfdc:${stemOf(source)}`],
        layout: 'dfdc',
      });
    }
    for (const video of videos) {
      if (listed.has(path.basename(video.path))) continue;
      problems.push({ path: video.path, message: 'DFDC reader: video is not listed in its folder\'s metadata.json, so its label is unknown; skipped' });
    }
  }
  return { root, layout: 'dfdc', items, problems, hasOfficialTestSplit: false };
}

/**
 * Reads and validates a folder's `metadata.json`. Returns null (and records a problem when the
 * folder has videos) when the file is missing or malformed; invalid entries are skipped one by one.
 */
async function readMetadata(folder: string, videoCount: number, problems: DatasetProblem[]): Promise<Map<string, DfdcEntry> | null> {
  const metadataPath = path.join(folder, 'metadata.json');
  let text: string;
  try {
    text = await readFile(metadataPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (videoCount > 0) {
      problems.push({ path: metadataPath, message: `DFDC reader: metadata.json is missing, so the ${videoCount} videos of this folder have no labels; folder skipped` });
    }
    return null;
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push({ path: metadataPath, message: `DFDC reader: metadata.json is not valid JSON (${(error as Error).message}); folder skipped` });
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push({ path: metadataPath, message: 'DFDC reader: metadata.json must be an object mapping file names to {label, split, original}; folder skipped' });
    return null;
  }

  const entries = new Map<string, DfdcEntry>();
  for (const [fileName, value] of Object.entries(parsed as Record<string, unknown>)) {
    const entry = value as Partial<DfdcEntry> | null;
    if (typeof entry !== 'object' || entry === null || (entry.label !== 'FAKE' && entry.label !== 'REAL')) {
      problems.push({ path: metadataPath, message: `DFDC reader: entry "${fileName}" has no label "FAKE" or "REAL"; entry skipped` });
      continue;
    }
    if (fileName.includes('/') || fileName.includes('\\')) {
      problems.push({ path: metadataPath, message: `DFDC reader: entry "${fileName}" is not a plain file name; entry skipped` });
      continue;
    }
    entries.set(fileName, entry as DfdcEntry);
  }
  return entries;
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}
