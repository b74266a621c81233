/**
 * Messages and stored state shared by the extension's contexts: content script,
 * background service worker, offscreen document and popup. Every runtime message
 * carries a `type` and, where more than one context listens, a `target`.
 */
import type { BackendName, ScoredFace } from './engine/types';

/** Screening state of one video as the popup and the in-page badge show it. */
export type VideoStatus = 'waiting' | 'analysing' | 'no-face' | 'cannot-scan';

/** User settings, kept in `chrome.storage.local` under {@link SETTINGS_KEY}. */
export interface Settings {
  /** Analyse one frame out of this many presented frames (`requestVideoFrameCallback` calls). */
  sampleEveryNthFrame: number;
  /** Fake probability in [0, 1] from which the toolbar and in-page badges turn red as an alert. */
  alertThreshold: number;
  /** Whether the content script draws a badge over each screened video. */
  showPageBadges: boolean;
  /** TF.js backends the engine may measure and pick from; empty means all of them. */
  backends: BackendName[];
}

export const SETTINGS_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = {
  sampleEveryNthFrame: 5,
  alertThreshold: 0.7,
  showPageBadges: true,
  backends: [],
};

/** Completes stored settings with defaults, so older or partial records stay valid. */
export function resolveSettings(stored: Partial<Settings> | undefined): Settings {
  return {
    sampleEveryNthFrame: stored?.sampleEveryNthFrame ?? DEFAULT_SETTINGS.sampleEveryNthFrame,
    alertThreshold: stored?.alertThreshold ?? DEFAULT_SETTINGS.alertThreshold,
    showPageBadges: stored?.showPageBadges ?? DEFAULT_SETTINGS.showPageBadges,
    backends: stored?.backends ?? DEFAULT_SETTINGS.backends,
  };
}

/** One point of a video's probability chart. */
export interface ScorePoint {
  /** Media time of the frame, seconds. */
  timeSeconds: number;
  /** Video-level fake probability after this frame, or null while untrained or without faces. */
  fakeProbability: number | null;
}

/** Accumulated result for one `<video>` element, as the offscreen document computes it. */
export interface VideoResult {
  status: VideoStatus;
  /** Video-level fake probability in [0, 1]; null without faces or without a trained model. */
  fakeProbability: number | null;
  framesAnalysed: number;
  framesWithFaces: number;
  /** Faces found in the latest analysed frame. */
  facesInLastFrame: number;
  /** Reason shown when `status` is 'cannot-scan'. */
  reason?: string;
}

/** Per-video record in `chrome.storage.session`, so a restarted service worker and the popup see it. */
export interface VideoRecord extends VideoResult {
  videoId: string;
  frameId: number;
  /** Address of the document holding the video. */
  pageUrl: string;
  /** Small JPEG data URL of a recent frame, longest side {@link THUMBNAIL_MAX_SIDE} px. */
  thumbnail: string | null;
  /** Probability over media time, at most {@link HISTORY_LIMIT} points. */
  history: ScorePoint[];
  /** Frame origin: canvas pixels, or a screenshot of the tab when the canvas is tainted. */
  source: FrameSource;
  updatedAt: number;
}

export type FrameSource = 'canvas' | 'tab-capture';

export const THUMBNAIL_MAX_SIDE = 96;
export const HISTORY_LIMIT = 120;

/** State of one tab in `chrome.storage.session` under {@link tabKey}. */
export interface TabRecord {
  paused: boolean;
  videos: Record<string, VideoRecord>;
}

export function tabKey(tabId: number): string {
  return `tab:${tabId}`;
}

/** Model card fields the popup needs; `models/classifier/card.json` has more. */
export interface ModelCardSummary {
  trained: boolean;
  /** Accuracy on the card's held-out test set in [0, 1], when measured. */
  accuracy: number | null;
  /** Data the accuracy was measured on, such as "the validation split of DFDC face crops". */
  testSet: string | null;
}

/** Engine status in `chrome.storage.session` under {@link ENGINE_KEY}. */
export interface EngineStatus {
  state: 'starting' | 'ready' | 'failed';
  backend: BackendName | null;
  /** Milliseconds per frame measured for each candidate backend, null where it failed to start. */
  timings: { name: BackendName; msPerFrame: number | null; error?: string }[];
  model: ModelCardSummary | null;
  /** Model store id and card label of the classifier the engine loaded, so scores name their model. */
  activeModel?: { modelId: string; label: string };
  error?: string;
}

export const ENGINE_KEY = 'engine';

/** A frame encoded by the content script, or a screenshot of the tab taken by the background. */
export interface EncodedFrame {
  /** JPEG data URL; frames from a canvas are already downscaled to at most {@link FRAME_MAX_SIDE} px on the longest side. */
  dataUrl: string;
  frameIndex: number;
  timeSeconds: number;
}

export const FRAME_MAX_SIDE = 640;

/** Content script to offscreen document: analyse a frame drawn from a readable canvas. */
export interface AnalyzeFrameMessage {
  type: 'analyze-frame';
  target: 'offscreen';
  videoId: string;
  frame: EncodedFrame;
  pageUrl: string;
  /** Part of the decoded image to analyse, in its pixels; the whole image when absent. */
  crop?: { x: number; y: number; width: number; height: number };
  /** Set by the background when it forwards a screenshot, because offscreen `sender.tab` is then absent. */
  tabId?: number;
  frameId?: number;
  source?: FrameSource;
}

/** Content script to background: the canvas is tainted, so capture the tab and crop to `rect`. */
export interface CaptureFrameMessage {
  type: 'capture-frame';
  target: 'background';
  videoId: string;
  /** Video rectangle in CSS pixels relative to the top-level viewport. */
  rect: { x: number; y: number; width: number; height: number };
  devicePixelRatio: number;
  frameIndex: number;
  timeSeconds: number;
  pageUrl: string;
}

/** Offscreen document to background: analysis of a frame, for storage and the badge. */
export interface FrameResultMessage {
  type: 'frame-result';
  target: 'background';
  tabId: number;
  frameId: number;
  videoId: string;
  pageUrl: string;
  result: VideoResult;
  point: ScorePoint;
  thumbnail: string | null;
  source: FrameSource;
}

/** Content script to background: register the frame, learn settings and pause state, start the engine. */
export interface HelloMessage {
  type: 'hello';
  target: 'background';
}

export interface HelloResponse {
  paused: boolean;
  settings: Settings;
}

/** Content script to background: a video cannot be analysed at all (DRM, detached, no capture). */
export interface CannotScanMessage {
  type: 'cannot-scan';
  target: 'background';
  videoId: string;
  pageUrl: string;
  reason: string;
}

/** Content script to background: a video appeared, so the popup lists it as waiting. */
export interface VideoFoundMessage {
  type: 'video-found';
  target: 'background';
  videoId: string;
  pageUrl: string;
}

/** Content script to background: the video left the page. */
export interface VideoRemovedMessage {
  type: 'video-removed';
  target: 'background';
  videoId: string;
}

/** Popup to background: pause or resume screening in a tab. */
export interface SetPausedMessage {
  type: 'set-paused';
  target: 'background';
  tabId: number;
  paused: boolean;
}

/** Background to content scripts of a tab. */
export interface PausedChangedMessage {
  type: 'paused-changed';
  target: 'content';
  paused: boolean;
}

/** Background to offscreen document: start the engine with these backend candidates. */
export interface StartEngineMessage {
  type: 'start-engine';
  target: 'offscreen';
  backends: BackendName[];
}

/** Offscreen document to background: engine state changed. */
export interface EngineStatusMessage {
  type: 'engine-status';
  target: 'background';
  status: EngineStatus;
}

/** Offscreen document response to {@link AnalyzeFrameMessage}. */
export interface AnalyzeFrameResponse {
  /** False when the engine is not ready yet; the caller drops the frame and retries later. */
  accepted: boolean;
  result?: VideoResult;
  faces?: ScoredFace[];
  /** Engine time for this frame, milliseconds. */
  engineMs?: number;
  /** The loaded classifier's card; null means untrained, so no verdict may be shown. */
  model?: ModelCardSummary | null;
}

export type ExtensionMessage =
  | AnalyzeFrameMessage
  | CaptureFrameMessage
  | FrameResultMessage
  | HelloMessage
  | CannotScanMessage
  | VideoFoundMessage
  | VideoRemovedMessage
  | SetPausedMessage
  | PausedChangedMessage
  | StartEngineMessage
  | EngineStatusMessage;

/** Narrows an unknown runtime message to one of ours. */
export function isExtensionMessage(value: unknown): value is ExtensionMessage {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { type?: unknown; target?: unknown };
  return typeof candidate.type === 'string' && typeof candidate.target === 'string';
}

export const STATUS_LABELS: Record<VideoStatus, string> = {
  waiting: 'Waiting for playback',
  analysing: 'Analysing',
  'no-face': 'No face',
  'cannot-scan': 'Cannot be scanned',
};
