/**
 * A face candidate between stages, in continuous image pixel coordinates: `x1, y1` is the
 * top-left corner and `x2, y2` the bottom-right corner (exclusive), so width is `x2 - x1`.
 */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Face probability from the stage that produced the candidate. */
  score: number;
  /** Box regression `[dx1, dy1, dx2, dy2]`, as fractions of the box width and height. */
  regression: [number, number, number, number];
}

export type SuppressionMode = 'union' | 'min';

/**
 * Greedy non-maximum suppression: keeps the highest-scoring candidate, drops every other one
 * whose overlap with it exceeds `threshold`, and repeats. Overlap is intersection over union,
 * or in `min` mode intersection over the smaller area, which also removes a small box that
 * lies inside a larger one (the original MTCNN uses `min` after O-Net).
 * Returns the kept candidates, highest score first.
 */
export function suppressOverlaps(candidates: Candidate[], threshold: number, mode: SuppressionMode): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const removed = new Uint8Array(sorted.length);
  const kept: Candidate[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (removed[i]) {
      continue;
    }
    const best = sorted[i];
    kept.push(best);
    for (let j = i + 1; j < sorted.length; j++) {
      if (!removed[j] && computeOverlap(best, sorted[j], mode) > threshold) {
        removed[j] = 1;
      }
    }
  }
  return kept;
}

/** Returns the overlap of two boxes, as intersection over union or over the smaller area. */
export function computeOverlap(a: Candidate, b: Candidate, mode: SuppressionMode): number {
  const width = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const height = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (width <= 0 || height <= 0) {
    return 0;
  }
  const intersection = width * height;
  const areaA = (a.x2 - a.x1) * (a.y2 - a.y1);
  const areaB = (b.x2 - b.x1) * (b.y2 - b.y1);
  const denominator = mode === 'min' ? Math.min(areaA, areaB) : areaA + areaB - intersection;
  return denominator > 0 ? intersection / denominator : 0;
}

/** Moves each corner by its regression offset times the box size. */
export function applyRegression(candidate: Candidate): Candidate {
  const width = candidate.x2 - candidate.x1;
  const height = candidate.y2 - candidate.y1;
  const [dx1, dy1, dx2, dy2] = candidate.regression;
  return {
    ...candidate,
    x1: candidate.x1 + dx1 * width,
    y1: candidate.y1 + dy1 * height,
    x2: candidate.x2 + dx2 * width,
    y2: candidate.y2 + dy2 * height,
  };
}

/** Grows the shorter side so the box becomes a square around the same center, as R-Net and O-Net expect. */
export function squareBox(candidate: Candidate): Candidate {
  const width = candidate.x2 - candidate.x1;
  const height = candidate.y2 - candidate.y1;
  const side = Math.max(width, height);
  const centerX = candidate.x1 + width / 2;
  const centerY = candidate.y1 + height / 2;
  return {
    ...candidate,
    x1: centerX - side / 2,
    y1: centerY - side / 2,
    x2: centerX + side / 2,
    y2: centerY + side / 2,
  };
}
