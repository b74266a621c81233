/** A point of a ROC curve. */
export interface RocPoint {
  falsePositiveRate: number;
  truePositiveRate: number;
  /** Scores at or above it count as positive. */
  threshold: number;
}

/**
 * Returns the area under the ROC curve via the Mann-Whitney U statistic: the probability that a
 * random positive scores above a random negative, counting ties as one half. Returns NaN when
 * either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);

  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    // Tied scores share the mean of their 1-based ranks.
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }

  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Returns the ROC curve from (0, 0) to (1, 1), one point per distinct score, thresholds falling.
 * Returns an empty curve when either class is empty.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  checkLengths(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return [];

  const points: RocPoint[] = [{ falsePositiveRate: 0, truePositiveRate: 0, threshold: Infinity }];
  let truePositives = 0;
  let falsePositives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) truePositives += 1;
      else falsePositives += 1;
    }
    points.push({ falsePositiveRate: falsePositives / negatives, truePositiveRate: truePositives / positives, threshold: scores[order[start]] });
    start = end + 1;
  }
  return points;
}

/** Returns the area under a curve of points by the trapezoid rule (equals `rocAuc` for its curve). */
export function trapezoidArea(points: RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const width = points[i].falsePositiveRate - points[i - 1].falsePositiveRate;
    area += (width * (points[i].truePositiveRate + points[i - 1].truePositiveRate)) / 2;
  }
  return area;
}

function checkLengths(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) {
    throw new Error(`metrics: ${scores.length} scores but ${labels.length} labels; pass one label per score`);
  }
}
