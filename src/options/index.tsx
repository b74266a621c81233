/**
 * Options page entry: opens the model store and publishes the active model to
 * `chrome.storage.local`, where the background watches it to restart the engine.
 */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { ACTIVE_MODEL_KEY, type ActiveModelNotice } from '../model-store/active-model-notice';
import { openExtensionStore } from './open-extension-store';
import { OptionsApp } from './OptionsApp';

async function publishActiveModel(notice: ActiveModelNotice): Promise<void> {
  await browser.storage.local.set({ [ACTIVE_MODEL_KEY]: notice });
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) {
    throw new Error('Options page: the #app element is missing from options.html.');
  }
  try {
    const store = await openExtensionStore();
    render(<OptionsApp store={store} onActiveModelChanged={publishActiveModel} />, root);
  } catch (error) {
    console.error('options: the model store failed to open', error);
    root.textContent = `The model store could not be opened: ${error instanceof Error ? error.message : String(error)}`;
  }
}

void main();
