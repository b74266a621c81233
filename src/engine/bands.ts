/**
 * Plain-language bands for a fake probability. A wrong "fake" can hurt a real person, so the
 * product shows the band beside the number, and the middle band is wide. The low band names what
 * the model did not find, not that the video is genuine.
 */
export type ProbabilityBand = 'no-signs' | 'uncertain' | 'likely-manipulated';

/** Probabilities below this show "no signs detected by this model". */
export const NO_SIGNS_BELOW = 0.35;
/** Probabilities at or above this show "likely manipulated". */
export const LIKELY_MANIPULATED_FROM = 0.65;

export const BAND_LABELS: Record<ProbabilityBand, string> = {
  'no-signs': 'no signs detected by this model',
  uncertain: 'uncertain',
  'likely-manipulated': 'likely manipulated',
};

/** Colour tone of a score: `alert` is red, `uncertain` amber, `low` a neutral blue (never a reassuring green). */
export type ScoreTone = 'low' | 'uncertain' | 'alert';

/**
 * Returns the band of a probability. The band is taken from the whole percentage that the product
 * displays, so a shown "65%" never reads "uncertain".
 */
export function probabilityBand(probability: number): ProbabilityBand {
  const displayed = Math.round(probability * 100) / 100;
  if (displayed < NO_SIGNS_BELOW) {
    return 'no-signs';
  }
  return displayed < LIKELY_MANIPULATED_FROM ? 'uncertain' : 'likely-manipulated';
}

/** Returns the colour tone of a score: alert from the "likely manipulated" band or the user's alert threshold, whichever is lower. */
export function scoreTone(probability: number, alertThreshold: number): ScoreTone {
  const band = probabilityBand(probability);
  if (band === 'likely-manipulated' || probability >= alertThreshold) {
    return 'alert';
  }
  return band === 'no-signs' ? 'low' : 'uncertain';
}
