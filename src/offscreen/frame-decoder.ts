/**
 * Turns JPEG data URLs from the content script or from `captureVisibleTab` into RGBA
 * pixels for the engine, and makes popup thumbnails.
 */
import type { RgbaImage } from '../engine/types';
import { FRAME_MAX_SIDE, THUMBNAIL_MAX_SIDE } from '../messages';

/** Pixel rectangle inside a decoded image. */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A decoded frame plus the bitmap it came from, for thumbnails. Call `close()` when done. */
export interface DecodedFrame {
  image: RgbaImage;
  bitmap: ImageBitmap;
  close(): void;
}

/** Mean channel value (0..255) below which a pixel counts as black. */
const BLACK_PIXEL_LEVEL = 16;
/** Every this many pixels is read by {@link isBlackFrame}; a frame has hundreds of thousands. */
const BLACK_CHECK_STRIDE = 97;

function clampCrop(crop: CropRect, width: number, height: number): CropRect | null {
  const x = Math.max(0, Math.floor(crop.x));
  const y = Math.max(0, Math.floor(crop.y));
  const right = Math.min(width, Math.ceil(crop.x + crop.width));
  const bottom = Math.min(height, Math.ceil(crop.y + crop.height));
  if (right - x < 2 || bottom - y < 2) return null;
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * Decodes a data URL, crops it to `crop` (image pixels) and scales it down so the
 * longest side is at most {@link FRAME_MAX_SIDE}. Returns null when the crop lies
 * outside the image.
 */
export async function decodeFrame(dataUrl: string, crop?: CropRect): Promise<DecodedFrame | null> {
  const blob = await (await fetch(dataUrl)).blob();
  const full = await createImageBitmap(blob);
  const region = crop ? clampCrop(crop, full.width, full.height) : { x: 0, y: 0, width: full.width, height: full.height };
  if (region === null) {
    full.close();
    return null;
  }
  const scale = Math.min(1, FRAME_MAX_SIDE / Math.max(region.width, region.height));
  const width = Math.max(1, Math.round(region.width * scale));
  const height = Math.max(1, Math.round(region.height * scale));
  const bitmap = await createImageBitmap(full, region.x, region.y, region.width, region.height, {
    resizeWidth: width,
    resizeHeight: height,
    resizeQuality: 'medium',
  });
  full.close();

  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('Frame decoder: OffscreenCanvas 2D context is unavailable');
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, width, height);
  return { image: { width, height, data: pixels.data }, bitmap, close: () => bitmap.close() };
}

/** True when a sample of pixels is all near black, as DRM-protected video reads back. */
export function isBlackFrame(image: RgbaImage): boolean {
  const pixelCount = image.width * image.height;
  for (let pixel = 0; pixel < pixelCount; pixel += BLACK_CHECK_STRIDE) {
    const offset = pixel * 4;
    const level = (image.data[offset] + image.data[offset + 1] + image.data[offset + 2]) / 3;
    if (level >= BLACK_PIXEL_LEVEL) return false;
  }
  return true;
}

/**
 * Encodes a small JPEG data URL of `bitmap`, longest side {@link THUMBNAIL_MAX_SIDE} px.
 * It uses a DOM canvas and the synchronous `toDataURL`, because
 * `OffscreenCanvas.convertToBlob` took about 1 s per call in the offscreen document
 * (headless Chromium 156), which stalled every frame that carried a thumbnail.
 */
export function makeThumbnail(bitmap: ImageBitmap): string {
  const scale = THUMBNAIL_MAX_SIDE / Math.max(bitmap.width, bitmap.height);
  thumbnailCanvas ??= document.createElement('canvas');
  thumbnailCanvas.width = Math.max(1, Math.round(bitmap.width * scale));
  thumbnailCanvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = thumbnailCanvas.getContext('2d');
  if (context === null) throw new Error('Thumbnail: the 2D canvas context is unavailable');
  context.drawImage(bitmap, 0, 0, thumbnailCanvas.width, thumbnailCanvas.height);
  return thumbnailCanvas.toDataURL('image/jpeg', 0.7);
}

let thumbnailCanvas: HTMLCanvasElement | null = null;
