import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, type MediaKind } from './types';

/** A media file found on disk. */
export interface MediaFile {
  path: string;
  kind: MediaKind;
}

/** Returns the media kind of a file from its extension, or null for anything else. */
export function mediaKindOf(filePath: string): MediaKind | null {
  const extension = path.extname(filePath).toLowerCase();
  if (VIDEO_EXTENSIONS.has(extension)) return 'video';
  if (IMAGE_EXTENSIONS.has(extension)) return 'image';
  return null;
}

/**
 * Lists the videos and images under a folder, sorted by path so every run gets the same order.
 * Subfolders are searched when `recursive` is set. A missing folder yields an empty list.
 */
export async function listMediaFiles(folder: string, options: { recursive: boolean }): Promise<MediaFile[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }

  const files: MediaFile[] = [];
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (options.recursive) files.push(...(await listMediaFiles(entryPath, options)));
      continue;
    }
    const kind = mediaKindOf(entry.name);
    if (kind !== null) files.push({ path: entryPath, kind });
  }
  // Code-point order, so the order does not depend on the machine's locale.
  return files.sort((a, b) => compareCodePoints(a.path, b.path));
}

/** Lists the names of the subfolders of a folder, sorted; a missing folder yields an empty list. */
export async function listSubfolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Returns a file name without its extension. */
export function stemOf(filePath: string): string {
  return path.basename(filePath, path.extname(filePath));
}

/** Returns a path relative to a root with forward slashes, for stable ids on every OS. */
export function relativeId(root: string, filePath: string): string {
  return path.relative(root, filePath).split(path.sep).join('/');
}

function compareCodePoints(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/**
 * Returns the id of a file in a dataset: `<layout>:<dataset folder name>/<path below it>`. The
 * folder name keeps two datasets with the same inner paths apart while ids stay machine-independent.
 */
export function videoIdOf(layout: string, root: string, filePath: string): string {
  return `${layout}:${path.basename(root)}/${relativeId(root, filePath)}`;
}
