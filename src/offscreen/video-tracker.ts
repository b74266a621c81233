/**
 * Per-video bookkeeping in the offscreen document: the engine's `VideoScore`, the
 * count of black frames and the thumbnail schedule.
 */
import type { ScoredFace } from '../engine/types';
import { VideoScore } from '../engine/verdict';
import type { ScorePoint, VideoResult } from '../messages';

/** Analysed frames without any face after which a video reads "no face". */
export const NO_FACE_AFTER_FRAMES = 3;
/** Consecutive black frames, with no frame with content before, after which a video "cannot be scanned". */
export const BLACK_FRAMES_FOR_CANNOT_SCAN = 5;
/** Minimum time between two thumbnails of one video, milliseconds. */
const THUMBNAIL_INTERVAL_MS = 2000;

export class VideoTracker {
  private readonly score = new VideoScore();
  private blackFrames = 0;
  private sawContent = false;
  private facesInLastFrame = 0;
  private lastThumbnailAt = Number.NEGATIVE_INFINITY;
  private trained = false;

  /** Records a black frame and returns the video's result. Black frames never reach the engine or the score. */
  addBlackFrame(): VideoResult {
    this.blackFrames += 1;
    return this.result();
  }

  /** Adds one analysed frame; `trained` is false when the engine has no trained classifier. */
  addFrame(frameIndex: number, timeSeconds: number, faces: ScoredFace[], trained: boolean): { result: VideoResult; point: ScorePoint } {
    this.sawContent = true;
    this.blackFrames = 0;
    this.facesInLastFrame = faces.length;
    this.trained = trained;
    this.score.addFrame(frameIndex, timeSeconds, faces);
    const result = this.result();
    return { result, point: { timeSeconds, fakeProbability: result.fakeProbability } };
  }

  /** True when a new thumbnail is due, and marks it taken. */
  takeThumbnailTurn(now: number): boolean {
    if (now - this.lastThumbnailAt < THUMBNAIL_INTERVAL_MS) return false;
    this.lastThumbnailAt = now;
    return true;
  }

  private result(): VideoResult {
    const verdict = this.score.verdict();
    const base = {
      framesAnalysed: verdict.framesSampled,
      framesWithFaces: verdict.framesWithFaces,
      facesInLastFrame: this.facesInLastFrame,
    };
    if (!this.sawContent && this.blackFrames >= BLACK_FRAMES_FOR_CANNOT_SCAN) {
      return {
        ...base,
        status: 'cannot-scan',
        fakeProbability: null,
        reason: 'Every frame reads back black, as DRM-protected video does.',
      };
    }
    if (verdict.framesWithFaces === 0 && verdict.framesSampled >= NO_FACE_AFTER_FRAMES) {
      return { ...base, status: 'no-face', fakeProbability: null };
    }
    return { ...base, status: 'analysing', fakeProbability: this.trained ? verdict.fakeProbability : null };
  }
}
