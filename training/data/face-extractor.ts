import { cropFaceBox, type BoxFraming } from '../../src/engine/align';
import { decodeFrames, probeMedia } from '../../src/node/video';
import type { DetectedFace, Landmarks, RgbaImage } from '../../src/engine/types';
import type { CachedFaces } from './face-cache';
import { readImageFile, wholeImageToGreyFace } from './image-file';
import type { DatasetItem, GreyImage } from './types';

/** Face source of image items: the detected and aligned face, or the whole image. */
export type CropMode = 'detect' | 'whole';

/**
 * Cut that turns a detected face into the square crop: five-landmark alignment (`alignFace`), or an
 * upright square around the detector box (`cropFaceBox`), the framing of ready-cut face-crop datasets.
 */
export type FaceFraming = { kind: 'aligned' } | ({ kind: 'box' } & BoxFraming);

/**
 * Box framing of the DFDC face crops around MTCNN's box: 0.9 box widths wide, its center 0.013 box widths
 * right of and 0.042 below the box center (medians over 191 DFDC face crops).
 * Video faces cut with this framing look like those crops, so both can train one model.
 */
export const FACE_CROP_FRAMING: Readonly<{ kind: 'box' } & BoxFraming> = Object.freeze({ kind: 'box' as const, scale: 0.9, offsetX: 0.013, offsetY: 0.042 });

/** Settings of face extraction; every field is part of the cache key. */
export interface ExtractionSettings {
  /** Decode every Nth video frame, starting with frame 0. */
  everyNthFrame: number;
  /** Smallest face side the detector looks for, in source pixels. */
  minFaceSize: number;
  /** Decoded frames per video at most; 0 decodes the whole video. */
  maxFramesPerVideo: number;
  /** `detect` finds and aligns the face in an image; `whole` takes the image as an already cut face. Videos are always detected. */
  cropMode: CropMode;
  /** Side of the square grey face, in pixels. */
  faceSize: number;
  /** Framing of detected faces; faces taken whole in `whole` crop mode ignore it. */
  framing: FaceFraming;
}

export const DEFAULT_EXTRACTION_SETTINGS: Readonly<ExtractionSettings> = Object.freeze({
  everyNthFrame: 5,
  minFaceSize: 40,
  maxFramesPerVideo: 0,
  cropMode: 'detect' as CropMode,
  faceSize: 128,
  framing: { kind: 'aligned' } as FaceFraming,
});

/**
 * Returns the cache-key fields of the settings for one item: only the settings that change its
 * faces. Aligned framing adds no field, whole-image crops ignore framing, videos ignore the
 * image crop mode, and images ignore the frame sampling.
 */
export function cacheKeySettings(settings: ExtractionSettings, item: DatasetItem): Record<string, string | number> {
  const { framing, cropMode, everyNthFrame, maxFramesPerVideo, ...rest } = settings;
  const keyed: Record<string, string | number> = item.kind === 'video' ? { ...rest, everyNthFrame, maxFramesPerVideo } : { ...rest, cropMode };
  if (framing.kind === 'aligned' || (item.kind === 'image' && cropMode === 'whole')) return keyed;
  return { ...keyed, framing: `box:${framing.scale},${framing.offsetX},${framing.offsetY}` };
}

/** Detector and alignment used to cut faces; the engine's MTCNN and `alignFace` in production. */
export interface FacePipeline {
  /** Identifies detector weights and alignment, so cached faces are rebuilt when either changes. */
  version: string;
  detect(image: RgbaImage, minFaceSize: number): Promise<DetectedFace[]>;
  align(image: RgbaImage, landmarks: Landmarks, size: number): GreyImage;
}

/**
 * Cuts the faces of one item: the largest detected face of every Nth frame of a video, or of an
 * image (or the whole image in `whole` crop mode). Frames without a face contribute nothing.
 * Throws when the file cannot be decoded.
 */
export async function extractFaces(item: DatasetItem, settings: ExtractionSettings, pipeline: FacePipeline): Promise<CachedFaces> {
  const faceBytes = settings.faceSize * settings.faceSize;
  const faces: Uint8Array[] = [];
  const frameIndices: number[] = [];

  if (item.kind === 'image') {
    const image = await readImageFile(item.path);
    const face = settings.cropMode === 'whole' ? wholeImageToGreyFace(image, settings.faceSize) : await detectLargestFace(image, settings, pipeline);
    if (face !== null) {
      faces.push(face.data);
      frameIndices.push(0);
    }
  } else {
    const info = await probeMedia(item.path);
    const frames = decodeFrames(item.path, info, {
      every: settings.everyNthFrame,
      maxFrames: settings.maxFramesPerVideo > 0 ? settings.maxFramesPerVideo : undefined,
    });
    for await (const frame of frames) {
      const face = await detectLargestFace(frame.image, settings, pipeline);
      if (face === null) continue;
      faces.push(face.data);
      frameIndices.push(frame.index);
    }
  }

  const packed = new Uint8Array(faces.length * faceBytes);
  faces.forEach((face, index) => packed.set(face, index * faceBytes));
  return { faceSize: settings.faceSize, count: faces.length, frameIndices, faces: packed };
}

/** Detects faces and frames the largest one (by box area), or returns null when none is found. */
async function detectLargestFace(image: RgbaImage, settings: ExtractionSettings, pipeline: FacePipeline): Promise<GreyImage | null> {
  const detected = await pipeline.detect(image, settings.minFaceSize);
  if (detected.length === 0) return null;
  const largest = detected.reduce((best, face) => (face.box.width * face.box.height > best.box.width * best.box.height ? face : best));
  const aligned = settings.framing.kind === 'box' ? cropFaceBox(image, largest.box, settings.framing, settings.faceSize) : pipeline.align(image, largest.landmarks, settings.faceSize);
  if (aligned.width !== settings.faceSize || aligned.height !== settings.faceSize || aligned.data.length !== settings.faceSize * settings.faceSize) {
    throw new Error(`face extractor: face framing returned a ${aligned.width}x${aligned.height} face, expected ${settings.faceSize}x${settings.faceSize}`);
  }
  return aligned;
}
