import { readFile } from 'node:fs/promises';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../../src/engine/types';
import type { GreyImage } from './types';

/** Largest image the JPEG decoder may allocate, in megapixels; a face crop is far below it. */
const MAX_IMAGE_MEGAPIXELS = 64;

/** Decodes a JPEG or PNG file to RGBA. Throws an Error naming the file when it cannot be decoded. */
export async function readImageFile(filePath: string): Promise<RgbaImage> {
  const bytes = await readFile(filePath);
  const extension = path.extname(filePath).toLowerCase();
  try {
    if (extension === '.png') {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  } catch (error) {
    throw new Error(`image reader: ${filePath} is not a readable ${extension === '.png' ? 'PNG' : 'JPEG'} (${(error as Error).message})`);
  }
}

/**
 * Converts an RGBA image to grey with the ITU-R BT.601 luma weights and resizes it bilinearly to
 * `size` x `size`, for face crops that are used whole instead of being detected and aligned.
 */
export function wholeImageToGreyFace(image: RgbaImage, size: number): GreyImage {
  const { width, height, data } = image;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
  }

  const out = new Uint8Array(size * size);
  const scaleX = width / size;
  const scaleY = height / size;
  for (let y = 0; y < size; y++) {
    // Pixel centres map to pixel centres (the align-corners=false convention).
    const sourceY = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), height - 1);
    const y0 = Math.floor(sourceY);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sourceY - y0;
    for (let x = 0; x < size; x++) {
      const sourceX = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), width - 1);
      const x0 = Math.floor(sourceX);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = sourceX - x0;
      const top = grey[y0 * width + x0] * (1 - fx) + grey[y0 * width + x1] * fx;
      const bottom = grey[y1 * width + x0] * (1 - fx) + grey[y1 * width + x1] * fx;
      out[y * size + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: size, height: size, data: out };
}
