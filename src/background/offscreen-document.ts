/**
 * Lifecycle of the one offscreen document that hosts the engine. Chrome allows one
 * offscreen document per extension, so concurrent callers share one creation promise.
 */
import type { BackendName } from '../engine/types';
import type { StartEngineMessage } from '../messages';

export const OFFSCREEN_PATH = 'src/offscreen/offscreen.html';

let creation: Promise<void> | null = null;

async function hasOffscreenDocument(): Promise<boolean> {
  const url = chrome.runtime.getURL(OFFSCREEN_PATH);
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  return contexts.length > 0;
}

/**
 * Creates the offscreen document unless it exists, then sends it the backends to
 * measure. A document closed by Chrome or by the user is recreated on the next call.
 * The start message goes out on every call, because a worker stopped between
 * creating the document and sending it would otherwise leave the engine unstarted.
 * The offscreen document ignores repeats.
 */
export async function ensureOffscreenDocument(backends: BackendName[]): Promise<void> {
  if (!(await hasOffscreenDocument())) {
    creation ??= createOffscreenDocument().finally(() => {
      creation = null;
    });
    await creation;
  }
  const message: StartEngineMessage = { type: 'start-engine', target: 'offscreen', backends };
  await chrome.runtime.sendMessage(message);
}

async function createOffscreenDocument(): Promise<void> {
  await chrome.offscreen.createDocument({
    url: OFFSCREEN_PATH,
    // No reason names machine learning; WORKERS is the closest, because TF.js runs
    // compute (WASM threads, WebGPU) that a service worker cannot host.
    reasons: [chrome.offscreen.Reason.WORKERS],
    justification: 'Runs the on-device face detection and deepfake classifier.',
  });
}

/** Closes the offscreen document, so the next frame starts the engine again with new settings. */
export async function closeOffscreenDocument(): Promise<void> {
  if (!(await hasOffscreenDocument())) return;
  await chrome.offscreen.closeDocument();
}
