import type { ModelFileReader } from '../engine/types';
import { createMemoryFileReader } from './memory-file-reader';
import { ACTIVE_STATE_KEY, BUNDLED_MODEL_ID, DEFAULT_DATABASE_NAME, openModelDatabase, type ModelDatabase } from './model-database';
import { CARD_JSON, type ModelFiles } from './model-files';
import { summarizeCard } from './model-summary';

/** Location of the active classifier; `classifierFolder` and `readFile` go to `createEngine`. */
export interface ActiveModelSource {
  modelId: string;
  /** Name and version from the card, for showing which model produced a score. */
  label: string;
  /** Folder of the classifier, for `EngineOptions.classifierFolder`. */
  classifierFolder: string;
  /** Serves the imported model's files under `classifierFolder` and everything else from the bundle. */
  readFile: ModelFileReader;
}

export const BUNDLED_FOLDER = 'classifier';
const IMPORTED_FOLDER = 'imported';

/**
 * Returns where the engine reads the active classifier. An active id whose model is gone
 * (deleted from another page since) falls back to the bundled model.
 */
export async function readActiveModelSource(database: ModelDatabase, readBundledFile: ModelFileReader): Promise<ActiveModelSource> {
  const state = await database.get('state', ACTIVE_STATE_KEY);
  const activeId = state?.activeId ?? BUNDLED_MODEL_ID;
  const model = activeId === BUNDLED_MODEL_ID ? undefined : await database.get('models', activeId);
  if (model === undefined) {
    return bundledModelSource(readBundledFile);
  }
  const folder = `${IMPORTED_FOLDER}/${model.id}`;
  const files: ModelFiles = new Map(model.files.map((file) => [file.path, file.bytes]));
  return {
    modelId: model.id,
    label: labelOf(summarizeCard(model.id, model.card)),
    classifierFolder: folder,
    readFile: createMemoryFileReader(folder, files, readBundledFile),
  };
}

/**
 * Opens the model database, reads the active model and closes it again: the call the engine's
 * host page makes before `createEngine`. When IndexedDB fails (private browsing, a corrupt
 * profile), it logs the error and returns the bundled model, so the extension still works.
 */
export async function openActiveModelSource(readBundledFile: ModelFileReader, databaseName: string = DEFAULT_DATABASE_NAME): Promise<ActiveModelSource> {
  let database: ModelDatabase;
  try {
    database = await openModelDatabase(databaseName);
  } catch (error) {
    console.error(`model store: IndexedDB ${databaseName} could not be opened, so the bundled model is used`, error);
    return bundledModelSource(readBundledFile);
  }
  try {
    return await readActiveModelSource(database, readBundledFile);
  } finally {
    database.close();
  }
}

/** Reads the bundled card, or returns null when the build ships no classifier yet. */
export async function readBundledCard(readBundledFile: ModelFileReader): Promise<Record<string, unknown> | null> {
  try {
    const bytes = await readBundledFile(`${BUNDLED_FOLDER}/${CARD_JSON}`);
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function bundledModelSource(readBundledFile: ModelFileReader): Promise<ActiveModelSource> {
  const card = await readBundledCard(readBundledFile);
  return { modelId: BUNDLED_MODEL_ID, label: labelOf(summarizeCard(BUNDLED_MODEL_ID, card)), classifierFolder: BUNDLED_FOLDER, readFile: readBundledFile };
}

function labelOf(summary: { name: string; version: string }): string {
  return summary.version === '' ? summary.name : `${summary.name} ${summary.version}`;
}
