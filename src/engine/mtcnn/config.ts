/** Settings of one MTCNN detection pass. */
export interface MtcnnConfig {
  /** Smallest face side to look for, in image pixels. Smaller values add pyramid levels and cost time. */
  minFaceSize: number;
  /** Ratio between the sides of two neighbouring pyramid levels, in (0, 1). */
  scaleFactor: number;
  /** Minimum face probability kept after P-Net, R-Net and O-Net, each in [0, 1]. */
  scoreThresholds: [number, number, number];
  /**
   * Maximum image side, in pixels, that P-Net scans at full detail. For a larger image the
   * detector raises `minFaceSize` by `longSide / maxInputSize`, so the P-Net cost stays that of
   * an image of this size. R-Net and O-Net still crop from the full-resolution image.
   */
  maxInputSize: number;
}

/**
 * Defaults of the original MTCNN paper (Zhang et al. 2016) for the first three fields.
 * `maxInputSize` 1280 keeps a 1920x1080 frame at the cost of a 1280x720 one, which misses only
 * faces under 30 px in such a frame.
 */
export const DEFAULT_MTCNN_CONFIG: Readonly<MtcnnConfig> = Object.freeze({
  minFaceSize: 20,
  scaleFactor: 0.709,
  scoreThresholds: [0.6, 0.7, 0.7] as [number, number, number],
  maxInputSize: 1280,
});

/** Fills missing fields with the defaults and rejects values the pyramid cannot work with. */
export function resolveMtcnnConfig(partial: Partial<MtcnnConfig> = {}): MtcnnConfig {
  const config: MtcnnConfig = {
    minFaceSize: partial.minFaceSize ?? DEFAULT_MTCNN_CONFIG.minFaceSize,
    scaleFactor: partial.scaleFactor ?? DEFAULT_MTCNN_CONFIG.scaleFactor,
    scoreThresholds: partial.scoreThresholds ?? DEFAULT_MTCNN_CONFIG.scoreThresholds,
    maxInputSize: partial.maxInputSize ?? DEFAULT_MTCNN_CONFIG.maxInputSize,
  };
  if (!(config.minFaceSize >= 1)) {
    throw new Error(`MTCNN: minFaceSize ${config.minFaceSize} is invalid. Use a face side of at least 1 px (default 20)`);
  }
  if (!(config.scaleFactor > 0 && config.scaleFactor < 1)) {
    throw new Error(`MTCNN: scaleFactor ${config.scaleFactor} is invalid. Use a value in (0, 1) (default 0.709)`);
  }
  if (config.scoreThresholds.length !== 3 || config.scoreThresholds.some((t) => !(t >= 0 && t <= 1))) {
    throw new Error(
      `MTCNN: scoreThresholds [${config.scoreThresholds.join(', ')}] are invalid. Give three probabilities in [0, 1]`,
    );
  }
  if (!(config.maxInputSize >= 12)) {
    throw new Error(`MTCNN: maxInputSize ${config.maxInputSize} is invalid. Use at least 12 px (default 1280)`);
  }
  return config;
}
