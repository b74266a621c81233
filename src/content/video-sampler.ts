/**
 * Samples frames of one `<video>`: every Nth presented frame
 * (`requestVideoFrameCallback`) while the video plays, is on screen and the tab is
 * visible. At most two frames per document are in flight (one analysed, one
 * waiting), so frames that arrive while the engine is busy are dropped instead of queued.
 */
import browser from 'webextension-polyfill';
import type {
  AnalyzeFrameMessage,
  AnalyzeFrameResponse,
  CannotScanMessage,
  CaptureFrameMessage,
  ModelCardSummary,
  Settings,
  VideoResult,
} from '../messages';
import { TaintedCanvasError, encodeVideoFrame, viewportRect } from './frame-encoder';

/** Minimum time between two screenshot requests of one video, milliseconds (the background allows 2 per second in all). */
const CAPTURE_INTERVAL_MS = 500;

/** State shared by the samplers of one document. */
export interface SamplerContext {
  settings(): Settings;
  paused(): boolean;
  /** Claims one of the document's in-flight slots; false while all are taken. */
  tryAcquire(): boolean;
  release(): void;
  /** Called when no engine responded, so the caller can request the background to start it. */
  engineMissing(): void;
  onResult(sampler: VideoSampler, result: VideoResult, model: ModelCardSummary | null): void;
}

export class VideoSampler {
  private presentedFrames = 0;
  private visible = false;
  private tainted = false;
  private lastCaptureAt = Number.NEGATIVE_INFINITY;
  private callbackHandle: number | null = null;
  private readonly intersection: IntersectionObserver;
  private stopped = false;

  constructor(
    readonly video: HTMLVideoElement,
    readonly videoId: string,
    private readonly context: SamplerContext,
  ) {
    this.intersection = new IntersectionObserver((entries) => {
      for (const entry of entries) this.visible = entry.isIntersecting;
    });
    this.intersection.observe(video);
    this.requestFrame();
  }

  stop(): void {
    this.stopped = true;
    this.intersection.disconnect();
    if (this.callbackHandle !== null) this.video.cancelVideoFrameCallback(this.callbackHandle);
  }

  private requestFrame(): void {
    if (this.stopped) return;
    this.callbackHandle = this.video.requestVideoFrameCallback((_now, metadata) => {
      this.onFrame(metadata.mediaTime);
      this.requestFrame();
    });
  }

  private shouldSample(): boolean {
    const video = this.video;
    return (
      !this.context.paused() &&
      !video.paused &&
      !video.ended &&
      this.visible &&
      document.visibilityState === 'visible' &&
      video.videoWidth > 0 &&
      video.videoHeight > 0
    );
  }

  private onFrame(mediaTime: number): void {
    this.presentedFrames += 1;
    const every = Math.max(1, Math.round(this.context.settings().sampleEveryNthFrame));
    if (this.presentedFrames % every !== 0 || !this.shouldSample()) return;
    if (this.video.mediaKeys) {
      this.reportCannotScan('The video is DRM-protected (Encrypted Media Extensions), so its frames cannot be read.');
      this.stop();
      return;
    }
    if (this.tainted && performance.now() - this.lastCaptureAt < CAPTURE_INTERVAL_MS) return;
    if (!this.context.tryAcquire()) return;
    this.sample(this.presentedFrames, mediaTime)
      .catch((error: unknown) => console.warn(`Deepfake Screener: sampling video ${this.videoId} failed`, error))
      .finally(() => this.context.release());
  }

  private async sample(frameIndex: number, timeSeconds: number): Promise<void> {
    const response = this.tainted ? await this.sendCapture(frameIndex, timeSeconds) : await this.sendCanvasFrame(frameIndex, timeSeconds);
    if (response === undefined) {
      this.context.engineMissing();
      return;
    }
    if (response.accepted && response.result) this.context.onResult(this, response.result, response.model ?? null);
  }

  private async sendCanvasFrame(frameIndex: number, timeSeconds: number): Promise<AnalyzeFrameResponse | undefined> {
    let dataUrl: string;
    try {
      dataUrl = encodeVideoFrame(this.video);
    } catch (error) {
      if (!(error instanceof TaintedCanvasError)) throw error;
      this.tainted = true;
      return this.sendCapture(frameIndex, timeSeconds);
    }
    const message: AnalyzeFrameMessage = {
      type: 'analyze-frame',
      target: 'offscreen',
      videoId: this.videoId,
      pageUrl: location.href,
      frame: { dataUrl, frameIndex, timeSeconds },
    };
    return (await browser.runtime.sendMessage(message)) as AnalyzeFrameResponse | undefined;
  }

  private async sendCapture(frameIndex: number, timeSeconds: number): Promise<AnalyzeFrameResponse | undefined> {
    const rect = viewportRect(this.video);
    if (rect === null) {
      if (window !== window.top && window.frameElement === null) {
        // TODO: a tainted video inside a cross-origin frame needs the frame's offset from the top-level page to crop a screenshot.
        this.reportCannotScan('The video is cross-origin inside a cross-origin frame, so no screenshot crop can be computed.');
        this.stop();
      }
      return { accepted: false };
    }
    this.lastCaptureAt = performance.now();
    const message: CaptureFrameMessage = {
      type: 'capture-frame',
      target: 'background',
      videoId: this.videoId,
      rect,
      devicePixelRatio: window.devicePixelRatio,
      frameIndex,
      timeSeconds,
      pageUrl: location.href,
    };
    return (await browser.runtime.sendMessage(message)) as AnalyzeFrameResponse | undefined;
  }

  private reportCannotScan(reason: string): void {
    const message: CannotScanMessage = { type: 'cannot-scan', target: 'background', videoId: this.videoId, pageUrl: location.href, reason };
    void browser.runtime.sendMessage(message).catch(() => undefined);
    this.context.onResult(
      this,
      { status: 'cannot-scan', fakeProbability: null, framesAnalysed: 0, framesWithFaces: 0, facesInLastFrame: 0, reason },
      null,
    );
  }
}
