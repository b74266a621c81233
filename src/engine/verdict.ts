import type { Box, ScoredFace } from './types';

/** Settings of the video verdict. */
export interface VerdictConfig {
  /** A frame score at or above this counts as confidently fake. Default 0.8. */
  confidentProbability: number;
  /**
   * Share of a track's scored frames that must be confidently fake before the track score becomes
   * the mean of those frames alone. Default 0.25. The rule keeps a short manipulated segment (or
   * a fake that the model recognises only in some poses) from being averaged away by the rest.
   */
  minConfidentFraction: number;
  /** Intersection over union above which a face continues the track of the previous frame's face. Default 0.3. */
  trackIou: number;
  /** Sampled frames a track may miss its face before a new face can no longer join it. Default 10. */
  maxMissedFrames: number;
  /** Tracks with fewer scored frames than this are left out of the video verdict unless no track has enough. Default 3. */
  minTrackFrames: number;
  /**
   * Tracks whose mean face width is below this fraction of the widest track's are left out of the
   * video verdict unless no other track is scored. Default 0.5. Small background faces are blurry
   * and compressed, the classifier scores them unreliably, and manipulations target the main faces.
   */
  minRelativeFaceWidth: number;
  /** Frames kept for `recentFrames()`; older ones are dropped so memory stays bounded on long videos. Default 600. */
  maxTimelinePoints: number;
}

/** One sampled frame on the score timeline. */
export interface TimelinePoint {
  timeSeconds: number;
  faces: number;
  /** Highest fake probability among the frame's faces, or null when none was scored. */
  fakeProbability: number | null;
}

export const DEFAULT_VERDICT_CONFIG: VerdictConfig = {
  confidentProbability: 0.8,
  minConfidentFraction: 0.25,
  trackIou: 0.3,
  maxMissedFrames: 10,
  minTrackFrames: 3,
  minRelativeFaceWidth: 0.5,
  maxTimelinePoints: 600,
};

/** One person followed across frames by box overlap. */
export interface TrackSummary {
  id: number;
  /** Sampled frames in which this track's face was seen. */
  frames: number;
  /** Frames with a fake probability (all frames when a trained classifier is loaded). */
  scoredFrames: number;
  /** Mean fake probability over the scored frames. */
  meanProbability: number | null;
  /** Frames at or above `confidentProbability`. */
  confidentFrames: number;
  /** The track's score: the mean of the confident frames when there are enough of them, else the mean of all. */
  fakeProbability: number | null;
  /** The face box in the most recent frame of the track. */
  lastBox: Box;
  /** Mean face box width over the track's frames, in pixels. */
  meanFaceWidth: number;
}

/** The verdict for a whole video, computed from the frame scores seen so far. */
export interface Verdict {
  /**
   * Highest track score among the tracks with enough frames and a face of at least
   * `minRelativeFaceWidth` of the widest: a video counts as manipulated when any main person in
   * it is. Null when no face was scored (no face found, or no trained classifier).
   */
  fakeProbability: number | null;
  /** Mean fake probability over every scored face of every frame. */
  meanProbability: number | null;
  framesWithFaces: number;
  framesSampled: number;
  tracks: TrackSummary[];
  /** Id of the track whose score is the verdict, or null when there is no verdict. */
  decidingTrackId: number | null;
}

interface Track {
  id: number;
  lastBox: Box;
  lastFrame: number;
  frames: number;
  widthSum: number;
  probabilities: number[];
}

/**
 * Accumulates per-face frame scores of one video into face tracks and a video verdict. Frames must
 * arrive in the order they were sampled.
 */
export class VideoScore {
  private readonly config: VerdictConfig;
  private readonly tracks: Track[] = [];
  private nextTrackId = 1;
  private sampledFrames = 0;
  private framesWithFaces = 0;
  private probabilitySum = 0;
  private probabilityCount = 0;
  private readonly timeline: TimelinePoint[] = [];

  constructor(config: Partial<VerdictConfig> = {}) {
    this.config = { ...DEFAULT_VERDICT_CONFIG, ...config };
  }

  /**
   * Adds one sampled frame. `frameIndex` counts sampled frames or source frames, as long as it only
   * grows; `timeSeconds` is the frame's media time, kept on the timeline.
   */
  addFrame(frameIndex: number, timeSeconds: number, faces: ScoredFace[]): void {
    this.sampledFrames += 1;
    this.timeline.push({ timeSeconds, faces: faces.length, fakeProbability: highestProbability(faces) });
    if (this.timeline.length > this.config.maxTimelinePoints) {
      this.timeline.shift();
    }
    if (faces.length === 0) {
      return;
    }
    this.framesWithFaces += 1;

    const matchedTracks = new Set<Track>();
    const byScore = [...faces].sort((a, b) => b.score - a.score);
    for (const face of byScore) {
      const track = this.matchTrack(face.box, frameIndex, matchedTracks) ?? this.startTrack(face.box, frameIndex);
      matchedTracks.add(track);
      track.lastBox = face.box;
      track.lastFrame = frameIndex;
      track.frames += 1;
      track.widthSum += face.box.width;
      if (face.fakeProbability !== null) {
        track.probabilities.push(face.fakeProbability);
        this.probabilitySum += face.fakeProbability;
        this.probabilityCount += 1;
      }
    }
  }

  /** Returns the most recent frames' scores, oldest first, at most `maxTimelinePoints` of them. */
  recentFrames(): TimelinePoint[] {
    return [...this.timeline];
  }

  verdict(): Verdict {
    const tracks = this.tracks.map((track) => this.summarise(track));
    const scored = tracks.filter((track) => track.fakeProbability !== null);
    const longEnough = preferNonEmpty(scored.filter((track) => track.scoredFrames >= this.config.minTrackFrames), scored);
    const widest = Math.max(0, ...longEnough.map((track) => track.meanFaceWidth));
    const counted = preferNonEmpty(longEnough.filter((track) => track.meanFaceWidth >= this.config.minRelativeFaceWidth * widest), longEnough);
    const deciding = counted.reduce<TrackSummary | null>((best, track) => (best === null || (track.fakeProbability as number) > (best.fakeProbability as number) ? track : best), null);

    return {
      fakeProbability: deciding?.fakeProbability ?? null,
      meanProbability: this.probabilityCount > 0 ? this.probabilitySum / this.probabilityCount : null,
      framesWithFaces: this.framesWithFaces,
      framesSampled: this.sampledFrames,
      tracks,
      decidingTrackId: deciding?.id ?? null,
    };
  }

  private matchTrack(box: Box, frameIndex: number, matchedTracks: Set<Track>): Track | null {
    let best: Track | null = null;
    let bestIou = this.config.trackIou;
    for (const track of this.tracks) {
      if (matchedTracks.has(track) || frameIndex - track.lastFrame > this.config.maxMissedFrames) {
        continue;
      }
      const overlap = intersectionOverUnion(box, track.lastBox);
      if (overlap > bestIou) {
        best = track;
        bestIou = overlap;
      }
    }
    return best;
  }

  private startTrack(box: Box, frameIndex: number): Track {
    const track: Track = { id: this.nextTrackId++, lastBox: box, lastFrame: frameIndex, frames: 0, widthSum: 0, probabilities: [] };
    this.tracks.push(track);
    return track;
  }

  private summarise(track: Track): TrackSummary {
    const scores = track.probabilities;
    const confident = scores.filter((p) => p >= this.config.confidentProbability);
    const meanProbability = scores.length > 0 ? mean(scores) : null;
    const useConfident = confident.length > 0 && confident.length >= this.config.minConfidentFraction * scores.length;
    return {
      id: track.id,
      frames: track.frames,
      scoredFrames: scores.length,
      meanProbability,
      confidentFrames: confident.length,
      fakeProbability: useConfident ? mean(confident) : meanProbability,
      lastBox: track.lastBox,
      meanFaceWidth: track.frames > 0 ? track.widthSum / track.frames : 0,
    };
  }
}

function preferNonEmpty<T>(preferred: T[], fallback: T[]): T[] {
  return preferred.length > 0 ? preferred : fallback;
}

function highestProbability(faces: ScoredFace[]): number | null {
  const scores = faces.map((face) => face.fakeProbability).filter((p): p is number => p !== null);
  return scores.length > 0 ? Math.max(...scores) : null;
}

/** Intersection over union of two boxes, 0 when they do not overlap. */
export function intersectionOverUnion(a: Box, b: Box): number {
  const left = Math.max(a.x, b.x);
  const top = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  const intersection = Math.max(0, right - left) * Math.max(0, bottom - top);
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
