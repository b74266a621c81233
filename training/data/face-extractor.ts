import { decodeFrames, probeMedia } from '../../src/node/video';
import type { DetectedFace, Landmarks, RgbaImage } from '../../src/engine/types';
import type { CachedFaces } from './face-cache';
import { readImageFile, wholeImageToGreyFace } from './image-file';
import type { DatasetItem, GreyImage } from './types';

/** Face source of image items: the detected and aligned face, or the whole image. */
export type CropMode = 'detect' | 'whole';

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
}

export const DEFAULT_EXTRACTION_SETTINGS: Readonly<ExtractionSettings> = Object.freeze({
  everyNthFrame: 5,
  minFaceSize: 40,
  maxFramesPerVideo: 0,
  cropMode: 'detect' as CropMode,
  faceSize: 128,
});

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

/** Detects faces and aligns the largest one (by box area), or returns null when none is found. */
async function detectLargestFace(image: RgbaImage, settings: ExtractionSettings, pipeline: FacePipeline): Promise<GreyImage | null> {
  const detected = await pipeline.detect(image, settings.minFaceSize);
  if (detected.length === 0) return null;
  const largest = detected.reduce((best, face) => (face.box.width * face.box.height > best.box.width * best.box.height ? face : best));
  const aligned = pipeline.align(image, largest.landmarks, settings.faceSize);
  if (aligned.width !== settings.faceSize || aligned.height !== settings.faceSize || aligned.data.length !== settings.faceSize * settings.faceSize) {
    throw new Error(`face extractor: alignment returned a ${aligned.width}x${aligned.height} face, expected ${settings.faceSize}x${settings.faceSize}`);
  }
  return aligned;
}
