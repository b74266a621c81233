/** Files of one model export, keyed by path relative to the export folder: `model.json`, `card.json`, weight shards. */
export type ModelFiles = Map<string, Uint8Array>;

export const MODEL_JSON = 'model.json';
export const CARD_JSON = 'card.json';

/** Total size of the files, bytes. */
export function totalBytes(files: ModelFiles): number {
  let total = 0;
  for (const bytes of files.values()) {
    total += bytes.byteLength;
  }
  return total;
}

/**
 * Normalises a path inside an export or archive to forward slashes without a leading `./`,
 * or returns null for a path that is absolute or climbs out of the folder with `..`.
 */
export function normalizeModelPath(path: string): string | null {
  const parts = path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.');
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || parts.includes('..') || parts.length === 0) {
    return null;
  }
  return parts.join('/');
}
