/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive), by the rank-sum
 * (Mann-Whitney U) formula with tied scores sharing their mean rank. Returns NaN when one class
 * is missing, because the curve is undefined then.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (labels.length !== scores.length) {
    throw new Error(`rocAuc: ${labels.length} labels for ${scores.length} scores; pass one label per score`);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        positiveRankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) {
    return Number.NaN;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
