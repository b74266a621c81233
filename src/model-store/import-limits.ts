/**
 * Size limits of a model import. The shipped AlexNet is about 1.3 MB (323,333 float32
 * parameters plus JSON), so 50 MiB leaves room for much larger researcher models while keeping
 * a bad file from filling the browser's IndexedDB quota or the page's memory.
 */
export interface ImportLimits {
  /** Maximum total size of the model's files after unpacking, bytes. */
  maxModelBytes: number;
  /** Maximum size of a zip archive as selected, bytes. Checked before the archive is read. */
  maxArchiveBytes: number;
  /** Maximum number of files in one import (model.json, card.json and the weight shards). */
  maxFiles: number;
}

export const DEFAULT_MAX_MODEL_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_ARCHIVE_BYTES = 50 * 1024 * 1024;
/** TF.js writes 4 MB shards, so 32 files hold over 100 MB of weights: more than the byte limit allows. */
export const DEFAULT_MAX_FILES = 32;

/** Completes partial limits with the defaults. */
export function resolveLimits(limits: Partial<ImportLimits> = {}): ImportLimits {
  return {
    maxModelBytes: limits.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES,
    maxArchiveBytes: limits.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    maxFiles: limits.maxFiles ?? DEFAULT_MAX_FILES,
  };
}

/** Formats a byte count for messages, in MiB with one decimal. */
export function formatMebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
