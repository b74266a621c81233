/**
 * Background service worker: starts the offscreen engine, keeps per-tab results in
 * `chrome.storage.session`, sets the toolbar badge and captures the tab for videos
 * whose canvas is tainted. All state lives in storage, so a worker that Chrome
 * stopped resumes from it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  ENGINE_KEY,
  SETTINGS_KEY,
  isExtensionMessage,
  resolveSettings,
  type AnalyzeFrameMessage,
  type AnalyzeFrameResponse,
  type CannotScanMessage,
  type CaptureFrameMessage,
  type EngineStatusMessage,
  type FrameResultMessage,
  type HelloResponse,
  type PausedChangedMessage,
  type SetPausedMessage,
  type Settings,
  type VideoRecord,
  type VideoFoundMessage,
  type VideoRemovedMessage,
} from '../messages';
import { ACTIVE_MODEL_KEY } from '../model-store/active-model-notice';
import { closeOffscreenDocument, ensureOffscreenDocument } from './offscreen-document';
import { appendHistory, highestProbability, readTab, removeTab, updateTab } from './tab-store';
import { updateToolbarBadge } from './toolbar-badge';

/** `tabs.captureVisibleTab` allows 2 calls per second per extension (Chrome's MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND). */
const MIN_CAPTURE_INTERVAL_MS = 500;
let lastCaptureAt = 0;

async function readSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as Partial<Settings> | undefined;
  return resolveSettings(stored);
}

async function startEngine(): Promise<void> {
  const settings = await readSettings();
  await ensureOffscreenDocument(settings.backends);
}

function emptyVideoRecord(videoId: string, frameId: number, pageUrl: string): VideoRecord {
  return {
    videoId,
    frameId,
    pageUrl,
    status: 'waiting',
    fakeProbability: null,
    framesAnalysed: 0,
    framesWithFaces: 0,
    facesInLastFrame: 0,
    thumbnail: null,
    history: [],
    source: 'canvas',
    updatedAt: Date.now(),
  };
}

async function handleHello(sender: Runtime.MessageSender): Promise<HelloResponse> {
  const [settings, tab] = await Promise.all([
    readSettings(),
    sender.tab?.id === undefined ? Promise.resolve(null) : readTab(sender.tab.id),
  ]);
  startEngine().catch((error: unknown) => console.error('background: offscreen engine failed to start', error));
  return { paused: tab?.paused ?? false, settings };
}

async function handleFrameResult(message: FrameResultMessage): Promise<void> {
  const tab = await updateTab(message.tabId, (record) => {
    const video = record.videos[message.videoId] ?? emptyVideoRecord(message.videoId, message.frameId, message.pageUrl);
    Object.assign(video, message.result, { source: message.source, updatedAt: Date.now() });
    if (message.thumbnail !== null) video.thumbnail = message.thumbnail;
    appendHistory(video, message.point);
    record.videos[message.videoId] = video;
  });
  const settings = await readSettings();
  await updateToolbarBadge(message.tabId, highestProbability(tab), settings.alertThreshold);
}

async function handleCannotScan(message: CannotScanMessage, sender: Runtime.MessageSender): Promise<void> {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return;
  await updateTab(tabId, (record) => {
    const video = record.videos[message.videoId] ?? emptyVideoRecord(message.videoId, sender.frameId ?? 0, message.pageUrl);
    Object.assign(video, { status: 'cannot-scan', fakeProbability: null, reason: message.reason, updatedAt: Date.now() });
    record.videos[message.videoId] = video;
  });
}

async function handleVideoFound(message: VideoFoundMessage, sender: Runtime.MessageSender): Promise<void> {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return;
  await updateTab(tabId, (record) => {
    record.videos[message.videoId] ??= emptyVideoRecord(message.videoId, sender.frameId ?? 0, message.pageUrl);
  });
}

async function handleVideoRemoved(message: VideoRemovedMessage, sender: Runtime.MessageSender): Promise<void> {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return;
  const tab = await updateTab(tabId, (record) => {
    delete record.videos[message.videoId];
  });
  const settings = await readSettings();
  await updateToolbarBadge(tabId, highestProbability(tab), settings.alertThreshold);
}

async function handleSetPaused(message: SetPausedMessage): Promise<void> {
  await updateTab(message.tabId, (record) => {
    record.paused = message.paused;
  });
  const notice: PausedChangedMessage = { type: 'paused-changed', target: 'content', paused: message.paused };
  // Each frame has its own content script; tabs.sendMessage without frameId reaches all of them.
  await browser.tabs.sendMessage(message.tabId, notice).catch(() => undefined);
}

/**
 * Screenshots the visible tab and forwards the video's rectangle to the engine.
 * Returns `accepted: false` when the rate limit, an inactive tab or a missing
 * sender drops the frame, so the content script tries again later.
 */
async function handleCaptureFrame(
  message: CaptureFrameMessage,
  sender: Runtime.MessageSender,
): Promise<AnalyzeFrameResponse> {
  const tab = sender.tab;
  if (tab?.id === undefined || tab.windowId === undefined || !tab.active) return { accepted: false };
  const now = Date.now();
  if (now - lastCaptureAt < MIN_CAPTURE_INTERVAL_MS) return { accepted: false };
  lastCaptureAt = now;

  const dataUrl = await browser.tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: 90 });
  const scale = message.devicePixelRatio;
  const forward: AnalyzeFrameMessage = {
    type: 'analyze-frame',
    target: 'offscreen',
    videoId: message.videoId,
    pageUrl: message.pageUrl,
    frame: { dataUrl, frameIndex: message.frameIndex, timeSeconds: message.timeSeconds },
    crop: {
      x: Math.round(message.rect.x * scale),
      y: Math.round(message.rect.y * scale),
      width: Math.round(message.rect.width * scale),
      height: Math.round(message.rect.height * scale),
    },
    tabId: tab.id,
    frameId: sender.frameId ?? 0,
    source: 'tab-capture',
  };
  await startEngine();
  const response = (await browser.runtime.sendMessage(forward)) as AnalyzeFrameResponse | undefined;
  return response ?? { accepted: false };
}

async function handleEngineStatus(message: EngineStatusMessage): Promise<void> {
  await browser.storage.session.set({ [ENGINE_KEY]: message.status });
}

function logFailure(context: string): (error: unknown) => void {
  return (error) => console.error(`background: ${context} failed`, error);
}

/**
 * Routes messages addressed to the background. It returns undefined for every other
 * message, so the offscreen document's response to 'analyze-frame' is the one the
 * content script receives.
 */
function onMessage(message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  if (!isExtensionMessage(message) || message.target !== 'background') return undefined;
  switch (message.type) {
    case 'hello':
      return handleHello(sender);
    case 'frame-result':
      return handleFrameResult(message).catch(logFailure('storing a frame result'));
    case 'cannot-scan':
      return handleCannotScan(message, sender).catch(logFailure('storing a cannot-scan state'));
    case 'video-found':
      return handleVideoFound(message, sender).catch(logFailure('storing a new video'));
    case 'video-removed':
      return handleVideoRemoved(message, sender).catch(logFailure('removing a video'));
    case 'set-paused':
      return handleSetPaused(message);
    case 'capture-frame':
      return handleCaptureFrame(message, sender).catch((error: unknown) => {
        console.error('background: captureVisibleTab failed', error);
        return { accepted: false };
      });
    case 'engine-status':
      return handleEngineStatus(message).catch(logFailure('storing the engine status'));
    default:
      return undefined;
  }
}

browser.runtime.onMessage.addListener(onMessage);

browser.tabs.onRemoved.addListener((tabId) => {
  removeTab(tabId).catch(logFailure(`clearing tab ${tabId}`));
});

// A top-level navigation replaces every video of the tab; keep only the pause state.
browser.tabs.onUpdated.addListener((tabId, changeInfo) => {
  if (changeInfo.status !== 'loading' || changeInfo.url === undefined) return;
  updateTab(tabId, (record) => {
    record.videos = {};
  })
    .then(() => updateToolbarBadge(tabId, null, 1))
    .catch(logFailure(`clearing videos of tab ${tabId}`));
});

/** Restarts the engine with the newly active model and starts a fresh score series in every tab. */
async function switchModel(): Promise<void> {
  await browser.storage.session.remove(ENGINE_KEY);
  const all = await browser.storage.session.get(null);
  for (const key of Object.keys(all).filter((name) => name.startsWith('tab:'))) {
    await updateTab(Number(key.slice(4)), (record) => {
      record.videos = {};
    });
  }
  // Last, because in Firefox closing the engine reloads this page.
  await closeOffscreenDocument();
}

// A changed backend list or active model only takes effect in a new engine.
browser.storage.onChanged.addListener((changes, areaName) => {
  if (areaName === 'local' && ACTIVE_MODEL_KEY in changes) {
    switchModel().catch(logFailure('switching the model'));
    return;
  }
  if (areaName !== 'local' || !(SETTINGS_KEY in changes)) return;
  const before = resolveSettings(changes[SETTINGS_KEY].oldValue as Partial<Settings> | undefined);
  const after = resolveSettings(changes[SETTINGS_KEY].newValue as Partial<Settings> | undefined);
  if (before.backends.join() === after.backends.join()) return;
  closeOffscreenDocument()
    .then(() => browser.storage.session.remove(ENGINE_KEY))
    .catch(logFailure('restarting the engine'));
});
