import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelFileReader } from '../src/node/model-files';
import { openActiveModelSource } from '../src/model-store/active-model-source';
import { BUNDLED_MODEL_ID, ModelStore, type ModelStoreOptions } from '../src/model-store/model-store';
import type { ModelFiles } from '../src/model-store/model-files';
import { SHARD_NAME, copyFiles, loadLayersClassifier, makeTinyExport, useWasm, validCard } from './model-store-helpers';

let databaseCount = 0;
const openStores: ModelStore[] = [];

async function openStore(overrides: Partial<ModelStoreOptions> = {}): Promise<ModelStore> {
  databaseCount += 1;
  const store = await ModelStore.open({
    readBundledFile: createModelFileReader(),
    loadClassifier: loadLayersClassifier,
    databaseName: `model-store-test-${databaseCount}`,
    ...overrides,
  });
  openStores.push(store);
  return store;
}

describe('ModelStore', () => {
  let first: ModelFiles;
  let second: ModelFiles;

  beforeAll(async () => {
    await useWasm();
    first = await makeTinyExport({ seed: 1 }, validCard({ name: 'first', version: '1.0.0' }));
    second = await makeTinyExport({ seed: 2 }, validCard({ name: 'second', version: '2.0.0' }));
  });

  afterEach(() => {
    while (openStores.length > 0) {
      openStores.pop()?.close();
    }
  });

  it('lists the bundled model as active at first', async () => {
    const store = await openStore();

    const models = await store.list();

    expect(models).toHaveLength(1);
    expect(models[0].id).toBe(BUNDLED_MODEL_ID);
    expect(models[0].bundled).toBe(true);
    expect(models[0].active).toBe(true);
  });

  it('imports, activates and lists a model', async () => {
    const store = await openStore();

    const summary = await store.importFiles(first);
    const models = await store.list();

    expect(summary.active).toBe(true);
    expect(await store.activeModelId()).toBe(summary.id);
    expect(models.map((model) => model.name)).toContain('first');
    const listed = models.find((model) => model.id === summary.id);
    expect(listed?.version).toBe('1.0.0');
    expect(listed?.loss).toBe('bce');
    expect(listed?.datasets).toEqual(['synthetic']);
    expect(listed?.metrics.auc).toBe(0.5);
    expect(listed?.sizeBytes).toBeGreaterThan(1000);
    expect(listed?.importedAt).not.toBeNull();
    expect(models.find((model) => model.bundled)?.active).toBe(false);
  });

  it('imports without activating', async () => {
    const store = await openStore();

    await store.importFiles(first, { activate: false });

    expect(await store.activeModelId()).toBe(BUNDLED_MODEL_ID);
    expect(await store.list()).toHaveLength(2);
  });

  it('keeps the active model after a failed import', async () => {
    const store = await openStore();
    const good = await store.importFiles(first);
    const broken = copyFiles(second);
    const shard = broken.get(SHARD_NAME) as Uint8Array;
    new DataView(shard.buffer, shard.byteOffset).setFloat32(0, Number.NaN, true);

    await expect(store.importFiles(broken)).rejects.toMatchObject({ problem: 'non-finite-weights' });

    expect(await store.activeModelId()).toBe(good.id);
    expect((await store.list()).map((model) => model.name)).not.toContain('second');
  });

  it('stores nothing when a write fails', async () => {
    const store = await openStore();
    const good = await store.importFiles(first);
    const originalPut = IDBObjectStore.prototype.put;
    // Fails the state write that follows the model write in the same transaction.
    IDBObjectStore.prototype.put = function failingPut(this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'state') {
        throw new DOMException('simulated quota error', 'QuotaExceededError');
      }
      return originalPut.apply(this, args);
    };

    try {
      await expect(store.importFiles(second)).rejects.toThrow('simulated quota error');
    } finally {
      IDBObjectStore.prototype.put = originalPut;
    }

    expect(await store.activeModelId()).toBe(good.id);
    const models = await store.list();
    expect(models).toHaveLength(2);
    expect(models[0].id).toBe(BUNDLED_MODEL_ID);
    expect(models[1].name).toBe('first');
  });

  it('rejects a second import of the same weights', async () => {
    const store = await openStore();
    await store.importFiles(first);

    await expect(store.importFiles(first)).rejects.toMatchObject({ problem: 'duplicate' });
    expect(await store.list()).toHaveLength(2);
  });

  it('switches and rolls back', async () => {
    const store = await openStore();
    const a = await store.importFiles(first);
    const b = await store.importFiles(second);
    expect(await store.activeModelId()).toBe(b.id);

    expect(await store.rollback()).toBe(a.id);
    expect(await store.activeModelId()).toBe(a.id);
    expect(await store.rollback()).toBe(BUNDLED_MODEL_ID);
    await expect(store.rollback()).rejects.toMatchObject({ problem: 'no-previous-model' });
    expect(await store.activeModelId()).toBe(BUNDLED_MODEL_ID);

    await store.activate(b.id);
    expect(await store.activeModelId()).toBe(b.id);
    expect(await store.rollback()).toBe(BUNDLED_MODEL_ID);
  });

  it('rejects activating an unknown id', async () => {
    const store = await openStore();

    await expect(store.activate('0123456789abcdef')).rejects.toMatchObject({ problem: 'not-found' });
    expect(await store.activeModelId()).toBe(BUNDLED_MODEL_ID);
  });

  it('never deletes the bundled model', async () => {
    const store = await openStore();

    await expect(store.delete(BUNDLED_MODEL_ID)).rejects.toMatchObject({ problem: 'not-deletable' });
    expect((await store.list())[0].id).toBe(BUNDLED_MODEL_ID);
  });

  it('deleting the active model restores the previous', async () => {
    const store = await openStore();
    const a = await store.importFiles(first);
    const b = await store.importFiles(second);

    await store.delete(b.id);

    expect(await store.activeModelId()).toBe(a.id);
    expect((await store.list()).map((model) => model.id)).toEqual([BUNDLED_MODEL_ID, a.id]);
    // The deleted model must not come back through rollback.
    expect(await store.rollback()).toBe(BUNDLED_MODEL_ID);
  });

  it('deletes an inactive model', async () => {
    const store = await openStore();
    const a = await store.importFiles(first);
    const b = await store.importFiles(second);

    await store.delete(a.id);

    expect(await store.activeModelId()).toBe(b.id);
    expect(await store.rollback()).toBe(BUNDLED_MODEL_ID);
    await expect(store.delete(a.id)).rejects.toMatchObject({ problem: 'not-found' });
  });

  it('keeps models across reopening', async () => {
    const store = await openStore();
    const a = await store.importFiles(first);
    const name = `model-store-test-${databaseCount}`;
    store.close();

    const reopened = await openStore({ databaseName: name });

    expect(await reopened.activeModelId()).toBe(a.id);
  });

  it('serves the active model to the engine', async () => {
    const store = await openStore();
    const a = await store.importFiles(first);

    const source = await store.activeModelSource();

    expect(source.modelId).toBe(a.id);
    expect(source.label).toBe('first 1.0.0');
    expect(source.classifierFolder).toBe(`imported/${a.id}`);
    const modelJson = new Uint8Array(await source.readFile(`${source.classifierFolder}/model.json`));
    expect(modelJson).toEqual(first.get('model.json'));
    // MTCNN still comes from the bundled models folder.
    const mtcnn = await source.readFile('mtcnn/mtcnn_model-weights_manifest.json');
    expect(mtcnn.byteLength).toBeGreaterThan(0);
  });

  it('serves the bundled model when none is imported', async () => {
    const store = await openStore();

    const source = await store.activeModelSource();

    expect(source.modelId).toBe(BUNDLED_MODEL_ID);
    expect(source.classifierFolder).toBe('classifier');
  });

  it('opens the active model for the engine host', async () => {
    const store = await openStore();
    const a = await store.importFiles(first);
    const name = `model-store-test-${databaseCount}`;

    const source = await openActiveModelSource(createModelFileReader(), name);

    expect(source.modelId).toBe(a.id);
    expect(source.classifierFolder).toBe(`imported/${a.id}`);
    const card = JSON.parse(new TextDecoder().decode(await source.readFile(`${source.classifierFolder}/card.json`))) as { name: string };
    expect(card.name).toBe('first');
  });

  it('opens the bundled model in a new profile', async () => {
    const source = await openActiveModelSource(createModelFileReader(), 'model-store-never-used');

    expect(source.modelId).toBe(BUNDLED_MODEL_ID);
    expect(source.classifierFolder).toBe('classifier');
  });

  it('leaks no tensors on import', async () => {
    const store = await openStore();
    const before = tf.memory().numTensors;

    await store.importFiles(first);
    await expect(store.importFiles(first)).rejects.toThrow();

    expect(tf.memory().numTensors).toBe(before);
  });
});
