import { Unzip, UnzipInflate, unzipSync, type UnzipFile } from 'fflate';
import { formatMebibytes, type ImportLimits } from './import-limits';
import { ModelImportError } from './model-import-error';
import { MODEL_JSON, normalizeModelPath, type ModelFiles } from './model-files';

/** ZIP compression methods the reader inflates (APPNOTE 4.4.5): 0 stored, 8 deflate. */
const SUPPORTED_METHODS = new Set([0, 8]);

interface ArchiveEntry {
  path: string;
  declaredBytes: number;
}

/**
 * Unpacks a zip of the training CLI's export. The archive may wrap the files in one folder.
 * The folder that contains `model.json` becomes the root, and files outside it are ignored.
 *
 * Zip bombs are stopped twice: the central directory's declared sizes are summed before
 * anything is inflated, and inflation counts the bytes it actually produces and stops at the
 * limit, because a crafted archive can declare small sizes and inflate to gigabytes.
 */
export function unzipModelArchive(archive: Uint8Array, archiveName: string, limits: ImportLimits): ModelFiles {
  const entries = readDirectory(archive, archiveName, limits);
  const root = findExportRoot(entries, archiveName);
  const selected = new Map<string, string>();
  for (const entry of entries) {
    if (entry.path.startsWith(root)) {
      selected.set(entry.path, entry.path.slice(root.length));
    }
  }
  const inflated = inflateEntries(archive, archiveName, selected, limits);

  const files: ModelFiles = new Map();
  for (const [path, relative] of selected) {
    const bytes = inflated.get(path);
    if (bytes === undefined) {
      throw new ModelImportError('invalid-archive', `Model import: ${path} is listed in ${archiveName} but its data is missing; the archive is truncated, so export it again.`);
    }
    files.set(relative, bytes);
  }
  return files;
}

/** Lists the archive's files from its central directory without inflating any of them. */
function readDirectory(archive: Uint8Array, archiveName: string, limits: ImportLimits): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  try {
    unzipSync(archive, {
      filter: (info) => {
        if (!info.name.endsWith('/')) {
          entries.push(checkEntry(info.name, info.originalSize, info.compression, archiveName));
        }
        return false;
      },
    });
  } catch (error) {
    if (error instanceof ModelImportError) {
      throw error;
    }
    throw new ModelImportError('invalid-archive', `Model import: ${archiveName} is not a readable zip archive (${describe(error)}); create it again, for example with \`zip -r model.zip <export folder>\`.`);
  }

  const kept = entries.filter((entry) => !isIgnoredPath(entry.path));
  if (kept.length > limits.maxFiles) {
    throw new ModelImportError('too-many-files', `Model import: ${archiveName} contains ${kept.length} files, more than the ${limits.maxFiles} a model export may have.`);
  }
  const declaredTotal = kept.reduce((sum, entry) => sum + entry.declaredBytes, 0);
  if (declaredTotal > limits.maxModelBytes) {
    throw new ModelImportError(
      'too-large',
      `Model import: ${archiveName} declares ${formatMebibytes(declaredTotal)} of unpacked files, over the ${formatMebibytes(limits.maxModelBytes)} limit for a model.`,
    );
  }
  return kept;
}

function checkEntry(name: string, declaredBytes: number, compression: number, archiveName: string): ArchiveEntry {
  const path = normalizeModelPath(name);
  if (path === null) {
    throw new ModelImportError('invalid-archive', `Model import: ${archiveName} contains the unsafe path ${name}, but an export contains plain relative paths only.`);
  }
  if (!SUPPORTED_METHODS.has(compression)) {
    throw new ModelImportError('invalid-archive', `Model import: ${path} in ${archiveName} uses zip compression method ${compression}; only stored (0) and deflate (8) are supported.`);
  }
  return { path, declaredBytes };
}

/** macOS resource forks and hidden files are common in hand-made archives and never part of an export. */
function isIgnoredPath(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.split('/').some((part) => part.startsWith('.'));
}

function findExportRoot(entries: ArchiveEntry[], archiveName: string): string {
  const candidates = entries.filter((entry) => entry.path === MODEL_JSON || entry.path.endsWith(`/${MODEL_JSON}`));
  if (candidates.length === 0) {
    throw new ModelImportError('missing-file', `Model import: ${archiveName} contains no ${MODEL_JSON}; zip the folder the training CLI exported.`);
  }
  if (candidates.length > 1) {
    const paths = candidates.map((entry) => entry.path).join(', ');
    throw new ModelImportError('invalid-archive', `Model import: ${archiveName} contains several models (${paths}); zip one export folder at a time.`);
  }
  return candidates[0].path.slice(0, candidates[0].path.length - MODEL_JSON.length);
}

/** Inflates the selected entries, counting real output bytes against the limits as they are produced. */
function inflateEntries(archive: Uint8Array, archiveName: string, selected: Map<string, string>, limits: ImportLimits): Map<string, Uint8Array> {
  const inflated = new Map<string, Uint8Array>();
  let totalBytes = 0;
  let failure: ModelImportError | null = null;

  const unzip = new Unzip((file: UnzipFile) => {
    const path = normalizeModelPath(file.name);
    if (failure !== null || path === null || !selected.has(path)) {
      return;
    }
    const chunks: Uint8Array[] = [];
    let fileBytes = 0;
    file.ondata = (error, chunk, final) => {
      if (failure !== null) {
        return;
      }
      if (error) {
        failure = new ModelImportError('invalid-archive', `Model import: ${path} in ${archiveName} could not be inflated (${error.message}); the archive is damaged, so create it again.`);
        return;
      }
      fileBytes += chunk.byteLength;
      totalBytes += chunk.byteLength;
      if (totalBytes > limits.maxModelBytes) {
        failure = new ModelImportError(
          'too-large',
          `Model import: ${archiveName} inflates to more than ${formatMebibytes(limits.maxModelBytes)}, the limit for a model, although it declares less; it is not a training CLI export.`,
        );
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) {
        inflated.set(path, concatenate(chunks, fileBytes));
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  try {
    unzip.push(archive, true);
  } catch (error) {
    failure ??= new ModelImportError('invalid-archive', `Model import: ${archiveName} could not be unpacked (${describe(error)}); the archive is damaged or truncated, so create it again.`);
  }
  if (failure !== null) {
    throw failure;
  }
  return inflated;
}

function concatenate(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) {
    return chunks[0];
  }
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
