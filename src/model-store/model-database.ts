import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** Id of the model shipped inside the extension under `models/classifier/`; it is never stored in IndexedDB. */
export const BUNDLED_MODEL_ID = 'bundled';

export const DEFAULT_DATABASE_NAME = 'deepfake-screener-models';
const DATABASE_VERSION = 1;
const ACTIVE_STATE_KEY = 'active';

/** One imported model as IndexedDB stores it. */
export interface StoredModel {
  /** First 16 hex digits of the SHA-256 of `model.json` and the shards, so one export has one id. */
  id: string;
  /** The whole parsed `card.json`. */
  card: Record<string, unknown>;
  /** `model.json`, `card.json` and the weight shards, by path relative to the export folder. */
  files: { path: string; bytes: Uint8Array }[];
  sizeBytes: number;
  /** ISO 8601 time of the import. */
  importedAt: string;
}

/** Which model the engine loads, and the models active before it, for rollback. */
export interface ActiveState {
  activeId: string;
  /** Previously active ids, oldest first; rollback pops from the end. */
  history: string[];
}

export interface ModelDatabaseSchema extends DBSchema {
  models: { key: string; value: StoredModel };
  state: { key: string; value: ActiveState };
}

export type ModelDatabase = IDBPDatabase<ModelDatabaseSchema>;

/** Opens (and on first use creates) the model database in the global `indexedDB`. */
export function openModelDatabase(name: string = DEFAULT_DATABASE_NAME): Promise<ModelDatabase> {
  return openDB<ModelDatabaseSchema>(name, DATABASE_VERSION, {
    upgrade(database) {
      database.createObjectStore('models', { keyPath: 'id' });
      database.createObjectStore('state');
    },
  });
}

export const INITIAL_STATE: ActiveState = { activeId: BUNDLED_MODEL_ID, history: [] };

export { ACTIVE_STATE_KEY };
