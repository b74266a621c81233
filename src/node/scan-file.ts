import type { Engine } from '../engine/engine';
import type { MtcnnConfig } from '../engine/mtcnn';
import type { Box, Landmarks, ScoredFace } from '../engine/types';
import { VideoScore, type Verdict } from '../engine/verdict';
import { decodeFrames, MediaError, probeMedia, type MediaInfo } from './video';

export interface ScanOptions {
  /** Sample every Nth frame. Default 5, the step used by the MTCNN + AlexNet method (PCSC 2024) that the engine follows. */
  every: number;
  /** Downscale frames so the longer side is at most this many pixels before detection; 0 keeps the source size. */
  maxSide: number;
  /** Stop after this many sampled frames per file; undefined scans the whole video. */
  maxFrames?: number;
  detector: Partial<MtcnnConfig>;
  /** Called after each sampled frame, with the expected total when the container states it. */
  onFrame?: (done: number, expected: number | null) => void;
  onWarning?: (message: string) => void;
}

/** One face in a scan result, in source-video pixels. */
export interface FaceResult {
  box: Box;
  landmarks: Landmarks;
  score: number;
  fakeProbability: number | null;
}

export interface FrameResult {
  index: number;
  timeSeconds: number;
  faces: FaceResult[];
}

/** The result for one file; `error` is set, and the rest empty, when the file could not be read. */
export interface ScanResult {
  file: string;
  kind: MediaInfo['kind'] | null;
  frames: FrameResult[];
  verdict: Verdict;
  error?: string;
}

/** Decodes one video or image, runs the engine on every sampled frame and builds the verdict. */
export async function scanFile(engine: Engine, file: string, options: ScanOptions): Promise<ScanResult> {
  const score = new VideoScore();
  const frames: FrameResult[] = [];

  let info: MediaInfo;
  try {
    info = await probeMedia(file);
  } catch (error) {
    return { file, kind: null, frames, verdict: score.verdict(), error: describe(file, error) };
  }

  const expected = expectedFrames(info, options);
  try {
    const decodeOptions = { every: options.every, maxSide: options.maxSide, maxFrames: options.maxFrames, onWarning: options.onWarning };
    for await (const frame of decodeFrames(file, info, decodeOptions)) {
      const faces = await engine.analyzeFrame(frame.image, options.detector);
      score.addFrame(frame.index, frame.timeSeconds, faces);
      frames.push({ index: frame.index, timeSeconds: frame.timeSeconds, faces: faces.map((face) => toSourcePixels(face, frame.scale)) });
      options.onFrame?.(frames.length, expected);
    }
  } catch (error) {
    return { file, kind: info.kind, frames, verdict: score.verdict(), error: describe(file, error) };
  }

  if (frames.length === 0) {
    return { file, kind: info.kind, frames, verdict: score.verdict(), error: `${file}: contains no decodable frames` };
  }
  return { file, kind: info.kind, frames, verdict: score.verdict() };
}

function expectedFrames(info: MediaInfo, options: ScanOptions): number | null {
  if (info.kind === 'image') {
    return 1;
  }
  const count = info.frameCount ?? (info.fps && info.durationSeconds ? Math.round(info.fps * info.durationSeconds) : null);
  if (count === null) {
    return options.maxFrames ?? null;
  }
  const sampled = Math.ceil(count / options.every);
  return options.maxFrames === undefined ? sampled : Math.min(sampled, options.maxFrames);
}

function toSourcePixels(face: ScoredFace, scale: number): FaceResult {
  const round = (value: number): number => Math.round((value / scale) * 100) / 100;
  return {
    box: { x: round(face.box.x), y: round(face.box.y), width: round(face.box.width), height: round(face.box.height) },
    landmarks: face.landmarks.map(([x, y]) => [round(x), round(y)]) as Landmarks,
    score: face.score,
    fakeProbability: face.fakeProbability,
  };
}

function describe(file: string, error: unknown): string {
  if (error instanceof MediaError) {
    return error.message;
  }
  return `${file}: ${error instanceof Error ? error.message : String(error)}`;
}
