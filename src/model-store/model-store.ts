import type { IDBPTransaction } from 'idb';
import type { ModelFileReader } from '../engine/types';
import type { ImportLimits } from './import-limits';
import { BUNDLED_FOLDER, readActiveModelSource, readBundledCard, type ActiveModelSource } from './active-model-source';
import {
  ACTIVE_STATE_KEY,
  BUNDLED_MODEL_ID,
  INITIAL_STATE,
  openModelDatabase,
  type ActiveState,
  type ModelDatabase,
  type ModelDatabaseSchema,
  type StoredModel,
} from './model-database';
import { ModelImportError } from './model-import-error';
import { CARD_JSON, MODEL_JSON, type ModelFiles } from './model-files';
import { summarizeCard, type ModelSummary } from './model-summary';
import { readSelectedFiles, type SelectedFile } from './read-selected-files';
import { validateModel, type ClassifierLoader, type ValidatedModel } from './validate-model';

type ChangeTransaction = IDBPTransaction<ModelDatabaseSchema, ('models' | 'state')[], 'readwrite'>;

export interface ModelStoreOptions {
  /** Reads the extension's bundled `models/` files (MTCNN and the default classifier). */
  readBundledFile: ModelFileReader;
  /** The engine's `loadClassifier`, used to check an import's output before it is stored. */
  loadClassifier: ClassifierLoader;
  /** IndexedDB database name. Default {@link DEFAULT_DATABASE_NAME}; tests use one per case. */
  databaseName?: string;
  limits?: Partial<ImportLimits>;
  /** Aligned grey faces (128 * 128 bytes each) for the output check. Default: synthetic probes. */
  probeFaces?: Uint8Array[];
  /** Maximum number of previously active models remembered for rollback. Default 20. */
  historyLength?: number;
}

export interface ImportOptions {
  /** Make the imported model the active one in the same transaction. Default true. */
  activate?: boolean;
}

export { BUNDLED_MODEL_ID, DEFAULT_DATABASE_NAME } from './model-database';
export type { ActiveModelSource } from './active-model-source';

const DEFAULT_HISTORY_LENGTH = 20;

/**
 * Imported classifiers in IndexedDB, the active model and the rollback history. The model
 * bundled with the extension is always listed and cannot be deleted. Every change is one
 * IndexedDB transaction, so a failed import or a closed page leaves no half-stored model and
 * the previous active model stays active.
 */
export class ModelStore {
  private constructor(
    private readonly database: ModelDatabase,
    private readonly options: ModelStoreOptions,
  ) {}

  static async open(options: ModelStoreOptions): Promise<ModelStore> {
    const database = await openModelDatabase(options.databaseName);
    return new ModelStore(database, options);
  }

  close(): void {
    this.database.close();
  }

  /** Lists the bundled model first, then imported models, newest import first. */
  async list(): Promise<ModelSummary[]> {
    const [models, state] = await Promise.all([this.database.getAll('models'), this.readState()]);
    const bundled = await this.summarizeBundled(state.activeId === BUNDLED_MODEL_ID);
    const imported = models
      .sort((a, b) => b.importedAt.localeCompare(a.importedAt))
      .map((model) => ({ ...summarizeCard(model.id, model.card), active: model.id === state.activeId, sizeBytes: model.sizeBytes, importedAt: model.importedAt }));
    return [bundled, ...imported];
  }

  async activeModelId(): Promise<string> {
    return (await this.readState()).activeId;
  }

  /** Reads the user's selection (files or one zip), validates it and stores it. */
  async importSelection(selection: SelectedFile[], options: ImportOptions = {}): Promise<ModelSummary> {
    const files = await readSelectedFiles(selection, this.options.limits);
    return this.importFiles(files, options);
  }

  /** Validates an export's files and stores them; the active model changes only when all checks pass. */
  async importFiles(files: ModelFiles, options: ImportOptions = {}): Promise<ModelSummary> {
    const validated = await validateModel(files, {
      loadClassifier: this.options.loadClassifier,
      probeFaces: this.options.probeFaces,
      limits: this.options.limits,
    });
    const record = await toStoredModel(validated);
    if ((await this.database.getKey('models', record.id)) !== undefined) {
      throw new ModelImportError('duplicate', `Model import: ${validated.card.name} ${validated.card.version} is already installed (id ${record.id}); activate it from the list.`);
    }

    const activate = options.activate ?? true;
    await this.change(async (transaction) => {
      const state = (await transaction.objectStore('state').get(ACTIVE_STATE_KEY)) ?? INITIAL_STATE;
      await transaction.objectStore('models').put(record);
      if (activate) {
        await transaction.objectStore('state').put(this.switchTo(state, record.id), ACTIVE_STATE_KEY);
      }
    });
    return { ...summarizeCard(record.id, record.card), active: activate, sizeBytes: record.sizeBytes, importedAt: record.importedAt };
  }

  /** Makes `id` the active model and remembers the current one for rollback. */
  async activate(id: string): Promise<void> {
    await this.change(async (transaction) => {
      const exists = id === BUNDLED_MODEL_ID || (await transaction.objectStore('models').getKey(id)) !== undefined;
      if (!exists) {
        throw new ModelImportError('not-found', `Model store: no model with id ${id} is installed; reload the model list.`);
      }
      const state = (await transaction.objectStore('state').get(ACTIVE_STATE_KEY)) ?? INITIAL_STATE;
      await transaction.objectStore('state').put(this.switchTo(state, id), ACTIVE_STATE_KEY);
    });
  }

  /** Re-activates the model that was active before the current one and returns its id. */
  async rollback(): Promise<string> {
    return this.change(async (transaction) => {
      const state = (await transaction.objectStore('state').get(ACTIVE_STATE_KEY)) ?? INITIAL_STATE;
      const history = [...state.history];
      let previous: string | undefined;
      while ((previous = history.pop()) !== undefined) {
        const exists = previous === BUNDLED_MODEL_ID || (await transaction.objectStore('models').getKey(previous)) !== undefined;
        if (exists && previous !== state.activeId) {
          break;
        }
      }
      if (previous === undefined) {
        throw new ModelImportError('no-previous-model', 'Model store: there is no previously active model to roll back to.');
      }
      await transaction.objectStore('state').put({ activeId: previous, history }, ACTIVE_STATE_KEY);
      return previous;
    });
  }

  /** Deletes an imported model; deleting the active one re-activates the previous model. */
  async delete(id: string): Promise<void> {
    if (id === BUNDLED_MODEL_ID) {
      throw new ModelImportError('not-deletable', 'Model store: the bundled model ships with the extension and cannot be deleted; activate another model instead.');
    }
    await this.change(async (transaction) => {
      const models = transaction.objectStore('models');
      const stateStore = transaction.objectStore('state');
      if ((await models.getKey(id)) === undefined) {
        throw new ModelImportError('not-found', `Model store: no model with id ${id} is installed; reload the model list.`);
      }
      const state = (await stateStore.get(ACTIVE_STATE_KEY)) ?? INITIAL_STATE;
      // Deleted ids leave the history, so every id in it still exists.
      const history = state.history.filter((entry) => entry !== id);
      const activeId = state.activeId === id ? (history.pop() ?? BUNDLED_MODEL_ID) : state.activeId;
      await models.delete(id);
      await stateStore.put({ activeId, history }, ACTIVE_STATE_KEY);
    });
  }

  /** Returns where the engine reads the active classifier; see {@link readActiveModelSource}. */
  async activeModelSource(): Promise<ActiveModelSource> {
    return readActiveModelSource(this.database, this.options.readBundledFile);
  }

  /**
   * Runs `work` in one readwrite transaction over both stores. An error aborts the transaction,
   * so no write of a failed change lands; without the abort, IndexedDB would commit the writes
   * already queued.
   */
  private async change<T>(work: (transaction: ChangeTransaction) => Promise<T>): Promise<T> {
    const transaction = this.database.transaction(['models', 'state'], 'readwrite');
    try {
      const result = await work(transaction);
      await transaction.done;
      return result;
    } catch (error) {
      transaction.done.catch(() => undefined);
      try {
        transaction.abort();
      } catch {
        // The transaction already finished or aborted itself.
      }
      throw error;
    }
  }

  private async readState(): Promise<ActiveState> {
    return (await this.database.get('state', ACTIVE_STATE_KEY)) ?? INITIAL_STATE;
  }

  private switchTo(state: ActiveState, id: string): ActiveState {
    if (state.activeId === id) {
      return state;
    }
    const limit = this.options.historyLength ?? DEFAULT_HISTORY_LENGTH;
    const history = [...state.history.filter((entry) => entry !== state.activeId), state.activeId].slice(-limit);
    return { activeId: id, history };
  }

  private async summarizeBundled(active: boolean): Promise<ModelSummary> {
    const card = await readBundledCard(this.options.readBundledFile);
    return { ...summarizeCard(BUNDLED_MODEL_ID, card), active, sizeBytes: await this.bundledSize(), importedAt: null };
  }

  /** Sums the bundled model's file sizes, or returns null when a file cannot be read. */
  private async bundledSize(): Promise<number | null> {
    try {
      const modelJson = await this.options.readBundledFile(`${BUNDLED_FOLDER}/${MODEL_JSON}`);
      const manifest = (JSON.parse(new TextDecoder().decode(modelJson)) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
      const paths = [CARD_JSON, ...manifest.flatMap((group) => group.paths)];
      const sizes = await Promise.all(paths.map(async (path) => (await this.options.readBundledFile(`${BUNDLED_FOLDER}/${path}`)).byteLength));
      return sizes.reduce((sum, size) => sum + size, modelJson.byteLength);
    } catch {
      return null;
    }
  }
}

async function toStoredModel(validated: ValidatedModel): Promise<StoredModel> {
  return {
    id: await contentId(validated.files),
    card: validated.rawCard,
    files: [...validated.files].map(([path, bytes]) => ({ path, bytes })),
    sizeBytes: validated.sizeBytes,
    importedAt: new Date().toISOString(),
  };
}

/** Hashes `model.json` and the shards (not the card), so re-importing the same weights is detected. */
async function contentId(files: ModelFiles): Promise<string> {
  const parts = [...files].filter(([path]) => path !== CARD_JSON).sort(([a], [b]) => a.localeCompare(b));
  const encoder = new TextEncoder();
  const total = parts.reduce((sum, [path, bytes]) => sum + encoder.encode(path).byteLength + 1 + bytes.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const [path, bytes] of parts) {
    const name = encoder.encode(path);
    joined.set(name, offset);
    offset += name.byteLength + 1;
    joined.set(bytes, offset);
    offset += bytes.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
  return Array.from(digest.slice(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
