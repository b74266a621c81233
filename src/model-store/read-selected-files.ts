import { formatMebibytes, resolveLimits, type ImportLimits } from './import-limits';
import { ModelImportError } from './model-import-error';
import { normalizeModelPath, type ModelFiles } from './model-files';
import { unzipModelArchive } from './unzip-model-archive';

/** A file the user selected: the browser's `File`, or anything with the same three members (Node, tests). */
export interface SelectedFile {
  name: string;
  /** Size in bytes, known before the content is read. */
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads the training CLI's export, selected either as its files (`model.json`, `card.json`, the
 * `*.bin` shards) or as one zip archive. Sizes are checked against the limits before any byte
 * is read, so a 2 GB file is rejected without loading it.
 */
export async function readSelectedFiles(selection: SelectedFile[], limits: Partial<ImportLimits> = {}): Promise<ModelFiles> {
  const resolved = resolveLimits(limits);
  if (selection.length === 0) {
    throw new ModelImportError('missing-file', 'Model import: no file was selected; select the export folder\'s files or one zip archive.');
  }
  if (selection.length === 1 && isZipName(selection[0].name)) {
    return readArchive(selection[0], resolved);
  }
  if (selection.some((file) => isZipName(file.name))) {
    throw new ModelImportError('invalid-archive', 'Model import: a zip archive was selected together with other files; select either one zip or the export\'s files.');
  }
  return readLooseFiles(selection, resolved);
}

function isZipName(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

async function readArchive(archive: SelectedFile, limits: ImportLimits): Promise<ModelFiles> {
  if (archive.size > limits.maxArchiveBytes) {
    throw new ModelImportError(
      'too-large',
      `Model import: ${archive.name} is ${formatMebibytes(archive.size)}, over the ${formatMebibytes(limits.maxArchiveBytes)} limit for an archive; check that it is the training CLI's export.`,
    );
  }
  const bytes = new Uint8Array(await archive.arrayBuffer());
  return unzipModelArchive(bytes, archive.name, limits);
}

async function readLooseFiles(selection: SelectedFile[], limits: ImportLimits): Promise<ModelFiles> {
  if (selection.length > limits.maxFiles) {
    throw new ModelImportError(
      'too-many-files',
      `Model import: ${selection.length} files were selected, more than the ${limits.maxFiles} a model export may have; select only model.json, card.json and the weight shards.`,
    );
  }
  const declaredTotal = selection.reduce((sum, file) => sum + file.size, 0);
  if (declaredTotal > limits.maxModelBytes) {
    throw new ModelImportError(
      'too-large',
      `Model import: the selected files total ${formatMebibytes(declaredTotal)}, over the ${formatMebibytes(limits.maxModelBytes)} limit for a model.`,
    );
  }

  const files: ModelFiles = new Map();
  for (const file of selection) {
    // A browser's file picker gives base names only, so the export's files must sit side by side.
    const path = normalizeModelPath(file.name);
    if (path === null) {
      throw new ModelImportError('invalid-archive', `Model import: the file name ${file.name} is not a plain file name.`);
    }
    if (files.has(path)) {
      throw new ModelImportError('invalid-archive', `Model import: ${path} was selected twice; select each file of the export once.`);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.byteLength !== file.size) {
      throw new ModelImportError('invalid-archive', `Model import: ${path} changed while it was read (${file.size} bytes expected, ${bytes.byteLength} read); select it again.`);
    }
    files.set(path, bytes);
  }
  return files;
}
