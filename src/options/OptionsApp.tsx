import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ActiveModelNotice } from '../model-store/active-model-notice';
import { DEFAULT_MAX_MODEL_BYTES } from '../model-store/import-limits';
import type { ModelStore } from '../model-store/model-store';
import type { ModelSummary } from '../model-store/model-summary';
import { ModelTable } from './ModelTable';

/** The store operations the page uses; the real `ModelStore` in the extension, the same in tests. */
export type ModelStoreApi = Pick<ModelStore, 'list' | 'importSelection' | 'activate' | 'rollback' | 'delete' | 'activeModelSource'>;

export interface OptionsAppProps {
  store: ModelStoreApi;
  /** Called after every change of the active model, so the extension can restart the engine. */
  onActiveModelChanged(notice: ActiveModelNotice): Promise<void>;
}

interface StatusLine {
  kind: 'info' | 'error';
  text: string;
}

/** Options page: installed models, import, activation, rollback and deletion. */
export function OptionsApp(props: OptionsAppProps) {
  const { store, onActiveModelChanged } = props;
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusLine | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async (): Promise<void> => {
    setModels(await store.list());
  }, [store]);

  useEffect(() => {
    refresh().catch((error: unknown) => setStatus({ kind: 'error', text: `Could not read the installed models: ${describe(error)}` }));
  }, [refresh]);

  /** Runs one store change, then reloads the list and publishes the active model. */
  const run = async (working: string, change: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setStatus({ kind: 'info', text: working });
    try {
      const done = await change();
      const source = await store.activeModelSource();
      await onActiveModelChanged({ modelId: source.modelId, label: source.label, changedAt: Date.now() });
      setStatus({ kind: 'info', text: done });
    } catch (error) {
      setStatus({ kind: 'error', text: describe(error) });
    } finally {
      setBusy(false);
      await refresh().catch(() => undefined);
    }
  };

  const onImport = (event: Event): void => {
    event.preventDefault();
    const files = Array.from(fileInput.current?.files ?? []);
    void run(`Validating ${files.length} file(s)…`, async () => {
      const summary = await store.importSelection(files);
      if (fileInput.current) {
        fileInput.current.value = '';
      }
      return `Imported ${summary.name} ${summary.version} and made it the active model.`;
    });
  };

  const onActivate = (id: string): void => {
    void run('Switching model…', async () => {
      await store.activate(id);
      return `${nameOf(models, id)} is now the active model.`;
    });
  };

  const onDelete = (id: string): void => {
    const name = nameOf(models, id);
    void run(`Deleting ${name}…`, async () => {
      await store.delete(id);
      return `Deleted ${name}.`;
    });
  };

  const onRollback = (): void => {
    void run('Rolling back…', async () => {
      const id = await store.rollback();
      return `Rolled back: ${nameOf(await store.list(), id)} is the active model again.`;
    });
  };

  return (
    <main>
      <h1>Deepfake Screener: classifier models</h1>
      <p class="intro">
        The active model scores every face the extension finds. Import a model exported by <code>npm run train</code>: select its
        folder's files (<code>model.json</code>, <code>card.json</code> and the <code>*.bin</code> shards) or one zip of that folder, up
        to {DEFAULT_MAX_MODEL_BYTES / (1024 * 1024)} MiB. The model is checked and run on a test face before it becomes active.
      </p>

      <form class="import" onSubmit={onImport}>
        <input ref={fileInput} type="file" multiple accept=".zip,.json,.bin" aria-label="Model export files or zip" disabled={busy} />
        <button type="submit" disabled={busy}>
          Import and activate
        </button>
        <button type="button" disabled={busy} onClick={onRollback}>
          Roll back to previous model
        </button>
      </form>

      {status && (
        <p class={`status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}

      {models === null ? <p>Loading models…</p> : <ModelTable models={models} busy={busy} onActivate={onActivate} onDelete={onDelete} />}
    </main>
  );
}

function nameOf(models: ModelSummary[] | null, id: string): string {
  const model = models?.find((candidate) => candidate.id === id);
  return model === undefined ? id : `${model.name} ${model.version}`.trim();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
