/**
 * Firefox stand-in for `src/background/offscreen-document.ts`. The engine runs in the
 * background page itself (`src/offscreen/index.ts` is loaded there), so "creating the offscreen
 * document" means sending it the start message over the page-local bus.
 */
import browser from './local-runtime';
import type { BackendName } from '../engine/types';
import type { StartEngineMessage } from '../messages';

export const OFFSCREEN_PATH = 'src/firefox/background.html';

let started = false;

/** Starts the engine in this page once; later calls return at once, as Chrome's do while the document exists. */
export async function ensureOffscreenDocument(backends: BackendName[]): Promise<void> {
  if (started) {
    return;
  }
  started = true;
  const message: StartEngineMessage = { type: 'start-engine', target: 'offscreen', backends };
  await browser.runtime.sendMessage(message);
}

/**
 * Restarts the engine with new settings. The engine module keeps its state in module scope, so
 * the only way to drop it is to reload the background page.
 */
export async function closeOffscreenDocument(): Promise<void> {
  if (!started) {
    return;
  }
  // NOTE: a reload also drops the per-video trackers, so running videos start a new series.
  globalThis.location.reload();
}
