// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../src/engine/classifier';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActiveModelNotice } from '../src/model-store/active-model-notice';
import type { ModelFiles } from '../src/model-store/model-files';
import { ModelStore } from '../src/model-store/model-store';
import { OptionsApp } from '../src/options/OptionsApp';
import * as tf from '@tensorflow/tfjs';
import { SHARD_NAME, copyFiles, makeTinyExport } from './model-store-helpers';

const WAIT_TIMEOUT_MS = 20_000;
const MODELS_DIR = path.resolve(import.meta.dirname, '../models');

/** Reads the repository's models folder; src/node/model-files.ts cannot load under happy-dom's URL class. */
async function readBundledFile(relativePath: string): Promise<ArrayBuffer> {
  const bytes = await readFile(path.join(MODELS_DIR, relativePath));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${WAIT_TIMEOUT_MS} ms waiting for ${what}; page text: ${document.body.textContent}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function rows(): HTMLTableRowElement[] {
  return Array.from(document.querySelectorAll<HTMLTableRowElement>('table.models tbody tr'));
}

function activeRow(): HTMLTableRowElement | undefined {
  return rows().find((row) => row.classList.contains('active'));
}

function button(container: Element, label: string): HTMLButtonElement {
  const found = Array.from(container.querySelectorAll('button')).find((candidate) => candidate.textContent?.trim() === label);
  if (found === undefined) {
    throw new Error(`no button "${label}"`);
  }
  return found;
}

/** Puts files into the page's file input as a user's selection would, then submits the form. */
function selectAndImport(files: ModelFiles): void {
  const input = document.querySelector<HTMLInputElement>('input[type=file]') as HTMLInputElement;
  const selection = [...files].map(([name, bytes]) => new File([bytes.slice().buffer as ArrayBuffer], name));
  Object.defineProperty(input, 'files', { value: selection, configurable: true });
  button(document.body, 'Import and activate').click();
}

describe('OptionsApp', () => {
  let good: ModelFiles;
  let notices: ActiveModelNotice[];
  let store: ModelStore;
  let databaseCount = 0;

  beforeAll(async () => {
    // Under happy-dom the WASM backend would fetch its binary from the fake page origin, so the
    // tiny test model runs on the CPU backend.
    await tf.setBackend('cpu');
    good = await makeTinyExport();
  });

  async function mount(): Promise<void> {
    databaseCount += 1;
    store = await ModelStore.open({ readBundledFile, loadClassifier, databaseName: `options-test-${databaseCount}` });
    notices = [];
    document.body.innerHTML = '<div id="app"></div>';
    render(<OptionsApp store={store} onActiveModelChanged={async (notice) => void notices.push(notice)} />, document.getElementById('app') as HTMLElement);
    await waitFor(() => rows().length === 1, 'the model list');
  }

  afterEach(() => {
    render(null, document.getElementById('app') as HTMLElement);
    store.close();
  });

  it('shows the bundled model active', async () => {
    await mount();

    expect(activeRow()?.dataset.modelId).toBe('bundled');
    expect(activeRow()?.textContent).toContain('bundled');
    expect(button(rows()[0], 'Delete').disabled).toBe(true);
    expect(button(rows()[0], 'Activate').disabled).toBe(true);
  });

  it('imports and activates a model', async () => {
    await mount();

    selectAndImport(good);
    await waitFor(() => rows().length === 2 && document.querySelector('.status.info')?.textContent?.startsWith('Imported') === true, 'the import');

    expect(activeRow()?.textContent).toContain('tiny-test-model');
    expect(activeRow()?.textContent).toContain('auc 0.500');
    expect(notices).toHaveLength(1);
    expect(notices[0].modelId).toBe(activeRow()?.dataset.modelId);
    expect(notices[0].label).toBe('tiny-test-model 0.0.1');
  });

  it('shows why a bad import failed', async () => {
    await mount();
    const broken = copyFiles(good);
    broken.set(SHARD_NAME, (broken.get(SHARD_NAME) as Uint8Array).slice(0, 10));

    selectAndImport(broken);
    await waitFor(() => document.querySelector('[role=alert]') !== null, 'the error message');

    expect(document.querySelector('[role=alert]')?.textContent).toContain(SHARD_NAME);
    expect(rows()).toHaveLength(1);
    expect(activeRow()?.dataset.modelId).toBe('bundled');
    expect(notices).toHaveLength(0);
  });

  it('rolls back and deletes', async () => {
    await mount();
    selectAndImport(good);
    await waitFor(() => rows().length === 2 && !button(document.body, 'Import and activate').disabled, 'the import');
    const importedId = activeRow()?.dataset.modelId as string;

    button(document.body, 'Roll back to previous model').click();
    await waitFor(() => activeRow()?.dataset.modelId === 'bundled', 'the rollback');
    expect(notices.at(-1)?.modelId).toBe('bundled');

    const importedRow = rows().find((row) => row.dataset.modelId === importedId) as HTMLTableRowElement;
    button(importedRow, 'Delete').click();
    await waitFor(() => rows().length === 1, 'the deletion');
    expect(document.querySelector('.status')?.textContent).toContain('Deleted tiny-test-model');
  });
});
