/**
 * Content script, injected into every frame of http(s) pages. It finds videos,
 * samples their frames for the offscreen engine and draws the in-page badges.
 */
import browser from 'webextension-polyfill';
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  isExtensionMessage,
  resolveSettings,
  type HelloMessage,
  type HelloResponse,
  type ModelCardSummary,
  type Settings,
  type VideoFoundMessage,
  type VideoRemovedMessage,
  type VideoResult,
} from '../messages';
import { PageBadge } from './page-badge';
import { VideoFinder } from './video-finder';
import { VideoSampler, type SamplerContext } from './video-sampler';

/** Minimum time between two requests to start the engine, milliseconds. */
const ENGINE_RETRY_MS = 1000;
/**
 * Two frames in flight let the next frame travel while the engine analyses the current
 * one. The offscreen document keeps at most one waiting frame, so more would only be dropped.
 */
const MAX_FRAMES_IN_FLIGHT = 2;
/** Period of badge repositioning while the page scrolls or reflows, milliseconds. */
const BADGE_PLACE_MS = 250;

interface Screened {
  sampler: VideoSampler;
  badge: PageBadge | null;
  lastResult: { result: VideoResult; model: ModelCardSummary | null } | null;
}

// Video ids are unique per document, so a reload or another frame never reuses one.
const documentToken = crypto.randomUUID().slice(0, 8);
let nextVideoNumber = 1;
let settings: Settings = DEFAULT_SETTINGS;
let paused = false;
/** Frames of this document sent and still without a response; see {@link MAX_FRAMES_IN_FLIGHT}. */
let framesInFlight = 0;
let lastEngineRequest = Number.NEGATIVE_INFINITY;
const screened = new Map<HTMLVideoElement, Screened>();

async function sayHello(): Promise<void> {
  lastEngineRequest = performance.now();
  const message: HelloMessage = { type: 'hello', target: 'background' };
  const response = (await browser.runtime.sendMessage(message)) as HelloResponse | undefined;
  if (response === undefined) return;
  settings = response.settings;
  paused = response.paused;
}

function showResult(entry: Screened): void {
  if (entry.lastResult === null) return;
  if (!settings.showPageBadges) {
    entry.badge?.remove();
    entry.badge = null;
    return;
  }
  entry.badge ??= new PageBadge(entry.sampler.video);
  entry.badge.update({ ...entry.lastResult, alertThreshold: settings.alertThreshold });
}

const context: SamplerContext = {
  settings: () => settings,
  paused: () => paused,
  tryAcquire: () => {
    if (framesInFlight >= MAX_FRAMES_IN_FLIGHT) return false;
    framesInFlight += 1;
    return true;
  },
  release: () => {
    framesInFlight -= 1;
  },
  engineMissing: () => {
    if (performance.now() - lastEngineRequest < ENGINE_RETRY_MS) return;
    sayHello().catch((error: unknown) => console.warn('Deepfake Screener: background unreachable', error));
  },
  onResult: (sampler, result, model) => {
    const entry = screened.get(sampler.video);
    if (entry === undefined) return;
    entry.lastResult = { result, model };
    showResult(entry);
  },
};

function addVideo(video: HTMLVideoElement): void {
  const videoId = `${documentToken}-${nextVideoNumber++}`;
  screened.set(video, { sampler: new VideoSampler(video, videoId, context), badge: null, lastResult: null });
  const message: VideoFoundMessage = { type: 'video-found', target: 'background', videoId, pageUrl: location.href };
  void browser.runtime.sendMessage(message).catch(() => undefined);
}

function removeVideo(video: HTMLVideoElement): void {
  const entry = screened.get(video);
  if (entry === undefined) return;
  entry.sampler.stop();
  entry.badge?.remove();
  screened.delete(video);
  const message: VideoRemovedMessage = { type: 'video-removed', target: 'background', videoId: entry.sampler.videoId };
  void browser.runtime.sendMessage(message).catch(() => undefined);
}

browser.runtime.onMessage.addListener((message: unknown) => {
  if (!isExtensionMessage(message) || message.type !== 'paused-changed') return undefined;
  paused = message.paused;
  return undefined;
});

browser.storage.onChanged.addListener((changes, areaName) => {
  if (areaName !== 'local' || !(SETTINGS_KEY in changes)) return;
  settings = resolveSettings(changes[SETTINGS_KEY].newValue as Partial<Settings> | undefined);
  for (const entry of screened.values()) showResult(entry);
});

sayHello()
  .catch((error: unknown) => console.warn('Deepfake Screener: background unreachable', error))
  .finally(() => {
    new VideoFinder(document, { added: addVideo, removed: removeVideo });
    setInterval(() => {
      for (const entry of screened.values()) entry.badge?.place();
    }, BADGE_PLACE_MS);
  });
