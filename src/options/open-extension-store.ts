import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '../engine/backend';
import { loadClassifier } from '../engine/classifier';
import type { ModelFileReader } from '../engine/types';
import { ModelStore } from '../model-store/model-store';

/** Reads a file of the extension's bundled `models/` folder. */
export const readBundledModelFile: ModelFileReader = async (relativePath) => {
  const response = await fetch(chrome.runtime.getURL(`models/${relativePath}`));
  if (!response.ok) {
    throw new Error(`Model file ${relativePath} is missing from the extension (HTTP ${response.status}); rebuild the extension.`);
  }
  return response.arrayBuffer();
};

/**
 * Opens the model store of an extension page. Validation runs the model on the WASM backend,
 * which every browser the extension supports has; the engine picks its own backend later.
 */
export async function openExtensionStore(): Promise<ModelStore> {
  // The WASM binaries ship inside the extension; TF.js would otherwise fetch them from a CDN.
  setWasmPaths(chrome.runtime.getURL('wasm/'));
  // The threaded WASM build starts workers from blob: scripts, which the extension CSP blocks in
  // Chrome (script-src 'self'), so validation runs single-threaded.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await useBackend('wasm');
  return ModelStore.open({ readBundledFile: readBundledModelFile, loadClassifier });
}
