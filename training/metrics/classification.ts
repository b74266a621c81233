/** Counts of a binary confusion matrix, fake being the positive class. */
export interface ConfusionMatrix {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/** Default decision threshold on the fake probability. */
export const DEFAULT_THRESHOLD = 0.5;

/** Returns the confusion matrix of probabilities cut at `threshold` (a score equal to it counts as fake). */
export function confusionMatrix(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number = DEFAULT_THRESHOLD): ConfusionMatrix {
  if (scores.length !== labels.length) {
    throw new Error(`metrics: ${scores.length} scores but ${labels.length} labels; pass one label per score`);
  }
  const matrix: ConfusionMatrix = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predictedFake = scores[i] >= threshold;
    const fake = labels[i] === 1;
    if (predictedFake && fake) matrix.truePositives += 1;
    else if (predictedFake) matrix.falsePositives += 1;
    else if (fake) matrix.falseNegatives += 1;
    else matrix.trueNegatives += 1;
  }
  return matrix;
}

/** Returns the fraction of correct decisions, or NaN for an empty matrix. */
export function accuracyOf(matrix: ConfusionMatrix): number {
  const total = matrix.truePositives + matrix.falsePositives + matrix.trueNegatives + matrix.falseNegatives;
  return total === 0 ? NaN : (matrix.truePositives + matrix.trueNegatives) / total;
}

/** Averages frame scores per video; returns one score, label and method per video, in first-seen order. */
export function videoLevelScores(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  videoIds: string[],
  methods: string[],
): { scores: Float64Array; labels: Uint8Array; videoIds: string[]; methods: string[] } {
  const index = new Map<string, number>();
  const sums: number[] = [];
  const counts: number[] = [];
  const videoLabels: number[] = [];
  const videoMethods: string[] = [];
  for (let i = 0; i < scores.length; i++) {
    let slot = index.get(videoIds[i]);
    if (slot === undefined) {
      slot = sums.length;
      index.set(videoIds[i], slot);
      sums.push(0);
      counts.push(0);
      videoLabels.push(labels[i]);
      videoMethods.push(methods[i]);
    }
    sums[slot] += scores[i];
    counts[slot] += 1;
  }
  return {
    scores: Float64Array.from(sums, (sum, slot) => sum / counts[slot]),
    labels: Uint8Array.from(videoLabels),
    videoIds: [...index.keys()],
    methods: videoMethods,
  };
}
