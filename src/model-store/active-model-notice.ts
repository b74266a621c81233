/**
 * Key in `chrome.storage.local` under which the options page publishes the active model after
 * every change, so the background can restart the engine with it and start a fresh score series.
 */
export const ACTIVE_MODEL_KEY = 'activeModel';

/** Value stored under {@link ACTIVE_MODEL_KEY}. */
export interface ActiveModelNotice {
  /** Model store id, `bundled` for the model shipped with the extension. */
  modelId: string;
  /** Name and version from the model card, shown next to scores. */
  label: string;
  /** Milliseconds since the epoch, so re-activating the same model still counts as a change. */
  changedAt: number;
}
