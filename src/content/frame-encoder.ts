/**
 * Reads frames of a `<video>` in the content script. A same-origin (or CORS-enabled)
 * video is drawn to a canvas and encoded as JPEG; a cross-origin video taints the
 * canvas, and the caller falls back to a tab screenshot cropped to
 * {@link viewportRect}.
 */
import { FRAME_MAX_SIDE } from '../messages';

/** JPEG quality for frames sent to the engine: high enough to keep block artefacts out of face detection. */
const FRAME_JPEG_QUALITY = 0.85;

/** Thrown when the canvas is tainted by a cross-origin video. */
export class TaintedCanvasError extends Error {
  constructor() {
    super('Frame encoder: the video is cross-origin without CORS, so its canvas is tainted');
  }
}

let canvas: HTMLCanvasElement | null = null;

/** Size of a frame scaled so its longest side is at most `maxSide` (never enlarged). */
export function scaledSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Draws the current frame, downscaled to {@link FRAME_MAX_SIDE}, and returns a JPEG data URL. */
export function encodeVideoFrame(video: HTMLVideoElement): string {
  const size = scaledSize(video.videoWidth, video.videoHeight, FRAME_MAX_SIDE);
  canvas ??= document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('Frame encoder: the 2D canvas context is unavailable');
  context.drawImage(video, 0, 0, size.width, size.height);
  try {
    return canvas.toDataURL('image/jpeg', FRAME_JPEG_QUALITY);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SecurityError') throw new TaintedCanvasError();
    throw error;
  }
}

/**
 * Returns the video's visible rectangle in CSS pixels of the top-level viewport, or
 * null when it is off screen or sits in a cross-origin frame whose offset this frame
 * cannot read.
 */
export function viewportRect(video: HTMLVideoElement): { x: number; y: number; width: number; height: number } | null {
  const rect = video.getBoundingClientRect();
  let left = Math.max(0, rect.left);
  let top = Math.max(0, rect.top);
  let right = Math.min(window.innerWidth, rect.right);
  let bottom = Math.min(window.innerHeight, rect.bottom);

  // Walk up same-origin frames; `frameElement` is null across an origin boundary.
  let current: Window = window;
  while (current !== current.parent) {
    const frame = current.frameElement;
    if (frame === null) return null;
    const frameRect = frame.getBoundingClientRect();
    left += frameRect.left;
    right += frameRect.left;
    top += frameRect.top;
    bottom += frameRect.top;
    current = current.parent;
    left = Math.max(0, left);
    top = Math.max(0, top);
    right = Math.min(current.innerWidth, right);
    bottom = Math.min(current.innerHeight, bottom);
  }
  if (right - left < 16 || bottom - top < 16) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}
