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
 * Lists the videos and images under a folder, sorted by path so every run sees the same order.
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
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
