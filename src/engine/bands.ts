/**
 * Plain-language bands for a fake probability. A wrong "fake" can hurt a real person, so the
 * product shows the band beside the number, and the middle band is wide.
 */
export type ProbabilityBand = 'no-signs' | 'uncertain' | 'likely-manipulated';

/** Probabilities below this show "no signs of manipulation found". */
export const NO_SIGNS_BELOW = 0.35;
/** Probabilities at or above this show "likely manipulated". */
export const LIKELY_MANIPULATED_FROM = 0.65;

export const BAND_LABELS: Record<ProbabilityBand, string> = {
  'no-signs': 'no signs of manipulation found',
  uncertain: 'uncertain',
  'likely-manipulated': 'likely manipulated',
};

export function probabilityBand(probability: number): ProbabilityBand {
  if (probability < NO_SIGNS_BELOW) {
    return 'no-signs';
  }
  return probability < LIKELY_MANIPULATED_FROM ? 'uncertain' : 'likely-manipulated';
}
