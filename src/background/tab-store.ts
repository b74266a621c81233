/**
 * Per-tab and per-video records in `chrome.storage.session`, so a restarted service
 * worker and the popup see the same state. Writes to one tab are serialised,
 * because results of several videos arrive concurrently and each write is a
 * read-modify-write of the whole tab record.
 */
import browser from 'webextension-polyfill';
import { HISTORY_LIMIT, tabKey, type TabRecord, type VideoRecord } from '../messages';

const pendingWrites = new Map<number, Promise<unknown>>();

export async function readTab(tabId: number): Promise<TabRecord> {
  const key = tabKey(tabId);
  const stored = (await browser.storage.session.get(key))[key] as TabRecord | undefined;
  return stored ?? { paused: false, videos: {} };
}

/** Applies `change` to the tab record after every earlier change of the same tab. */
export function updateTab(tabId: number, change: (tab: TabRecord) => void): Promise<TabRecord> {
  const previous = pendingWrites.get(tabId) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const tab = await readTab(tabId);
      change(tab);
      await browser.storage.session.set({ [tabKey(tabId)]: tab });
      return tab;
    });
  pendingWrites.set(tabId, next);
  void next.finally(() => {
    if (pendingWrites.get(tabId) === next) pendingWrites.delete(tabId);
  });
  return next;
}

export async function removeTab(tabId: number): Promise<void> {
  pendingWrites.delete(tabId);
  await browser.storage.session.remove(tabKey(tabId));
}

/** Appends a chart point and keeps the newest {@link HISTORY_LIMIT} points. */
export function appendHistory(record: VideoRecord, point: VideoRecord['history'][number]): void {
  record.history.push(point);
  if (record.history.length > HISTORY_LIMIT) record.history.splice(0, record.history.length - HISTORY_LIMIT);
}

/** Highest video-level fake probability in the tab, or null when no video has one. */
export function highestProbability(tab: TabRecord): number | null {
  let highest: number | null = null;
  for (const video of Object.values(tab.videos)) {
    if (video.fakeProbability === null) continue;
    highest = Math.max(highest ?? 0, video.fakeProbability);
  }
  return highest;
}
