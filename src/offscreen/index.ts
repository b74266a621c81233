/**
 * Offscreen document: hosts the engine, analyses one frame at a time and keeps a
 * `VideoTracker` per video. It can only use `chrome.runtime`, so results go to the
 * background, which stores them.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import browser, { type Runtime } from 'webextension-polyfill';
import { createEngine, type Engine } from '../engine/engine';
import { openActiveModelSource } from '../model-store/active-model-source';
import type { BackendName } from '../engine/types';
import {
  isExtensionMessage,
  type AnalyzeFrameMessage,
  type AnalyzeFrameResponse,
  type EngineStatus,
  type EngineStatusMessage,
  type FrameResultMessage,
} from '../messages';
import { decodeFrame, isBlackFrame, makeThumbnail } from './frame-decoder';
import { summarizeCard } from './model-card';
import { VideoTracker } from './video-tracker';

// The WASM binaries ship inside the extension (see vite.config.ts); TF.js would otherwise fetch them from a CDN.
setWasmPaths(chrome.runtime.getURL('wasm/'));
// NOTE: the threaded WASM build starts its workers from blob: scripts, which the MV3
// extension CSP forbids (script-src may only name 'self'), so the engine runs single-threaded SIMD.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

let engine: Engine | null = null;
let engineStart: Promise<void> | null = null;
let busy = false;
/** Trackers by `tabId:videoId`, oldest first; bounded because closed tabs send no removal. */
const trackers = new Map<string, VideoTracker>();
const MAX_TRACKERS = 256;

async function readModelFile(relativePath: string): Promise<ArrayBuffer> {
  const url = chrome.runtime.getURL(`models/${relativePath}`);
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Model file ${relativePath} is missing from the extension (HTTP ${response.status}); rebuild with npm run build`);
  }
  return response.arrayBuffer();
}

async function reportStatus(status: EngineStatus): Promise<void> {
  const message: EngineStatusMessage = { type: 'engine-status', target: 'background', status };
  await browser.runtime.sendMessage(message);
}

async function startEngine(backends: BackendName[]): Promise<void> {
  await reportStatus({ state: 'starting', backend: null, timings: [], model: null });
  try {
    const source = await openActiveModelSource(readModelFile);
    engine = await createEngine({ readFile: source.readFile, classifierFolder: source.classifierFolder, backends: backends.length > 0 ? backends : undefined });
    await reportStatus({
      state: 'ready',
      backend: engine.backend.name,
      timings: engine.backend.timings,
      model: summarizeCard(engine.model),
      activeModel: { modelId: source.modelId, label: source.label },
    });
  } catch (error) {
    console.error('offscreen: engine failed to start', error);
    await reportStatus({
      state: 'failed',
      backend: null,
      timings: [],
      model: null,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A frame waiting for the engine, with the resolver of its sender's response. */
interface PendingFrame {
  message: AnalyzeFrameMessage;
  tabId: number;
  frameId: number;
  respond: (response: AnalyzeFrameResponse) => void;
}

/**
 * The one frame that waits while the engine is busy. Keeping one frame ready hides the
 * message transport behind the engine's work. A newer frame replaces it, and the
 * replaced frame gets the response `accepted: false`, so nothing queues without bound.
 */
let pending: PendingFrame | null = null;

/** Analyses one frame, keeps it as the pending frame while the engine is busy, or returns `accepted: false` while no engine is ready. */
function analyze(message: AnalyzeFrameMessage, sender: Runtime.MessageSender): Promise<AnalyzeFrameResponse> {
  const tabId = message.tabId ?? sender.tab?.id;
  if (engine === null || tabId === undefined) return Promise.resolve({ accepted: false });
  return new Promise((respond) => {
    pending?.respond({ accepted: false });
    pending = { message, tabId, frameId: message.frameId ?? sender.frameId ?? 0, respond };
    if (!busy) void runPending();
  });
}

/** Runs pending frames one after another until none is left. */
async function runPending(): Promise<void> {
  busy = true;
  try {
    while (pending !== null && engine !== null) {
      const job = pending;
      pending = null;
      const response = await analyzeWithEngine(engine, job.message, job.tabId, job.frameId).catch((error: unknown) => {
        console.error(`offscreen: analysing a frame of video ${job.message.videoId} in tab ${job.tabId} failed`, error);
        return { accepted: false };
      });
      job.respond(response);
    }
  } finally {
    busy = false;
  }
}

async function analyzeWithEngine(
  current: Engine,
  message: AnalyzeFrameMessage,
  tabId: number,
  frameId: number,
): Promise<AnalyzeFrameResponse> {
  const decoded = await decodeFrame(message.frame.dataUrl, message.crop);
  if (decoded === null) return { accepted: false };
  try {
    const key = `${tabId}:${message.videoId}`;
    const tracker = trackers.get(key) ?? new VideoTracker();
    trackers.set(key, tracker);
    if (trackers.size > MAX_TRACKERS) trackers.delete(trackers.keys().next().value as string);

    const started = performance.now();
    const black = isBlackFrame(decoded.image);
    const faces = black ? [] : await current.analyzeFrame(decoded.image);
    const engineMs = performance.now() - started;
    const { frameIndex, timeSeconds } = message.frame;
    const { result, point } = black
      ? { result: tracker.addBlackFrame(), point: { timeSeconds, fakeProbability: null } }
      : tracker.addFrame(frameIndex, timeSeconds, faces, current.model !== null);

    const thumbnail = !black && tracker.takeThumbnailTurn(Date.now()) ? makeThumbnail(decoded.bitmap) : null;
    const report: FrameResultMessage = {
      type: 'frame-result',
      target: 'background',
      tabId,
      frameId,
      videoId: message.videoId,
      pageUrl: message.pageUrl,
      result,
      point,
      thumbnail,
      source: message.source ?? 'canvas',
    };
    void browser.runtime.sendMessage(report).catch((error: unknown) => console.error('offscreen: result not delivered', error));
    return { accepted: true, result, faces, engineMs, model: summarizeCard(current.model) };
  } finally {
    decoded.close();
  }
}

function onMessage(message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  if (!isExtensionMessage(message)) return undefined;
  // Removals are addressed to the background, which stores them; the tracker here goes too.
  if (message.type === 'video-removed' && sender.tab?.id !== undefined) {
    trackers.delete(`${sender.tab.id}:${message.videoId}`);
    return undefined;
  }
  if (message.target !== 'offscreen') return undefined;
  if (message.type === 'start-engine') {
    engineStart ??= startEngine(message.backends);
    return Promise.resolve(true);
  }
  if (message.type === 'analyze-frame') {
    return analyze(message, sender);
  }
  return undefined;
}

browser.runtime.onMessage.addListener(onMessage);
