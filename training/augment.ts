import jpeg from 'jpeg-js';
import type { SeededRandom } from './seeded-random';

/** Augmentations applied to each training face; all off by default. */
export interface AugmentOptions {
  /** Mirror the face left-right with probability 0.5. */
  flip: boolean;
  /** Maximum brightness shift as a fraction of full scale: each face gets +-U(0, brightness) * 255. */
  brightness: number;
  /** Maximum contrast change: pixels are scaled about the face's mean by U(1 - contrast, 1 + contrast). */
  contrast: number;
  /** JPEG re-compression at a quality drawn from [min, max] (1..100), applied with probability 0.5. */
  jpegQuality?: [number, number];
}

export const NO_AUGMENTATION: AugmentOptions = { flip: false, brightness: 0, contrast: 0 };

/**
 * Augments one square grey face (`size` x `size`, 0..255) in place. The random draws happen in a
 * fixed order, so a seed reproduces the same faces.
 */
export function augmentFace(face: Uint8Array, size: number, options: AugmentOptions, random: SeededRandom): void {
  if (options.flip && random.next() < 0.5) {
    flipRows(face, size);
  }
  if (options.jpegQuality && random.next() < 0.5) {
    const [low, high] = options.jpegQuality;
    recompressJpeg(face, size, Math.round(random.uniform(low, high)));
  }
  if (options.brightness > 0 || options.contrast > 0) {
    const shift = options.brightness > 0 ? random.uniform(-options.brightness, options.brightness) * 255 : 0;
    const scale = options.contrast > 0 ? random.uniform(1 - options.contrast, 1 + options.contrast) : 1;
    adjustBrightnessContrast(face, shift, scale);
  }
}

function flipRows(face: Uint8Array, size: number): void {
  for (let y = 0; y < size; y++) {
    face.subarray(y * size, (y + 1) * size).reverse();
  }
}

function adjustBrightnessContrast(face: Uint8Array, shift: number, scale: number): void {
  let total = 0;
  for (const value of face) total += value;
  const mean = total / face.length;
  for (let i = 0; i < face.length; i++) {
    face[i] = Math.min(255, Math.max(0, Math.round((face[i] - mean) * scale + mean + shift)));
  }
}

/** Encodes the face as a JPEG at `quality` and decodes it back, keeping the compression artefacts. */
function recompressJpeg(face: Uint8Array, size: number, quality: number): void {
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < face.length; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = face[i];
    rgba[i * 4 + 3] = 255;
  }
  const encoded = jpeg.encode({ data: rgba, width: size, height: size }, quality);
  const decoded = jpeg.decode(encoded.data, { useTArray: true, formatAsRGBA: true });
  for (let i = 0; i < face.length; i++) {
    face[i] = decoded.data[i * 4];
  }
}
