/** P-Net's receptive field and the side of the smallest face it finds at scale 1, in pixels. */
export const PNET_CELL_SIZE = 12;
/** Step between neighbouring P-Net output cells, in pixels of the scaled image. */
export const PNET_CELL_STRIDE = 2;

/** One level of the image pyramid: the image resized to `width x height`. */
export interface PyramidLevel {
  width: number;
  height: number;
  /** `width / imageWidth`, the exact horizontal scale after flooring. */
  scaleX: number;
  /** `height / imageHeight`. */
  scaleY: number;
  /** Side of P-Net's output map for this level, in cells. */
  outputWidth: number;
  outputHeight: number;
}

/**
 * Lists the pyramid levels for P-Net. The first level scales a face of `minFaceSize` pixels
 * to P-Net's 12-pixel cell, and each next level shrinks by `scaleFactor` until the shorter
 * side drops under 12 pixels.
 */
export function computePyramid(
  imageWidth: number,
  imageHeight: number,
  minFaceSize: number,
  scaleFactor: number,
): PyramidLevel[] {
  const levels: PyramidLevel[] = [];
  let scale = PNET_CELL_SIZE / minFaceSize;
  while (Math.min(imageWidth, imageHeight) * scale >= PNET_CELL_SIZE) {
    const width = Math.floor(imageWidth * scale);
    const height = Math.floor(imageHeight * scale);
    if (width >= PNET_CELL_SIZE && height >= PNET_CELL_SIZE) {
      levels.push({
        width,
        height,
        scaleX: width / imageWidth,
        scaleY: height / imageHeight,
        outputWidth: computePNetOutputSide(width),
        outputHeight: computePNetOutputSide(height),
      });
    }
    scale *= scaleFactor;
  }
  return levels;
}

/** Output side of P-Net for an input side: 3x3 valid convolution, 2x2 pool with same padding, two 3x3 valid convolutions. */
export function computePNetOutputSide(inputSide: number): number {
  return Math.ceil((inputSide - 2) / 2) - 4;
}
