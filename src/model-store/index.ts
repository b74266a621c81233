/**
 * Researcher-supplied classifiers: reading an export (files or zip), validating it, storing it in
 * IndexedDB, and choosing the active model. Nothing here uses a browser-extension API, so the
 * same code runs in the options page, the engine's host page and Node tests.
 */
export { ModelImportError, type ModelImportProblem } from './model-import-error';
export { DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_MODEL_BYTES, type ImportLimits } from './import-limits';
export { CARD_JSON, MODEL_JSON, type ModelFiles } from './model-files';
export { readSelectedFiles, type SelectedFile } from './read-selected-files';
export { validateModel, type ClassifierLoader, type ProbeClassifier, type ValidatedModel, type ValidationOptions } from './validate-model';
export { createMemoryFileReader } from './memory-file-reader';
export { type ModelSummary } from './model-summary';
export {
  BUNDLED_MODEL_ID,
  DEFAULT_DATABASE_NAME,
  ModelStore,
  type ImportOptions,
  type ModelStoreOptions,
} from './model-store';
export { ACTIVE_MODEL_KEY, type ActiveModelNotice } from './active-model-notice';
export { openActiveModelSource, readActiveModelSource, type ActiveModelSource } from './active-model-source';
