/**
 * Temperature scaling (Guo et al. 2017): the T > 0 minimising the cross-entropy of
 * sigmoid(logit(p) / T) on held-out faces. T > 1 softens over-confident probabilities.
 */
const LOGIT_EPSILON = 1e-7;
/** Search interval of log T: T from about 0.05 to 20. */
const LOG_T_RANGE: [number, number] = [-3, 3];
const GOLDEN_SECTION_STEPS = 60;

/** Returns the temperature minimising the log loss of `probabilities` against 0/1 `labels`. */
export function fitTemperature(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (probabilities.length !== labels.length || probabilities.length === 0) {
    throw new Error(`fitTemperature: ${probabilities.length} probabilities for ${labels.length} labels; pass equal, non-empty arrays`);
  }
  const logits = Float64Array.from(probabilities, (p) => {
    const clipped = Math.min(Math.max(p, LOGIT_EPSILON), 1 - LOGIT_EPSILON);
    return Math.log(clipped / (1 - clipped));
  });
  const loss = (logT: number): number => logLossAtTemperature(logits, labels, Math.exp(logT));

  // Golden-section search; the log loss is convex in 1/T, so it is unimodal in log T.
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [low, high] = LOG_T_RANGE;
  for (let step = 0; step < GOLDEN_SECTION_STEPS; step++) {
    const left = high - ratio * (high - low);
    const right = low + ratio * (high - low);
    if (loss(left) < loss(right)) {
      high = right;
    } else {
      low = left;
    }
  }
  return Math.exp((low + high) / 2);
}

/** Mean binary cross-entropy of sigmoid(logit / temperature) against `labels`. */
export function logLossAtTemperature(logits: ArrayLike<number>, labels: ArrayLike<number>, temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] / temperature;
    // log(1 + e^-|z|) + max(z, 0) - y z is the stable form of -[y log s(z) + (1 - y) log(1 - s(z))].
    total += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - labels[i] * z;
  }
  return total / logits.length;
}
