import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  applyRegression,
  computeOverlap,
  squareBox,
  suppressOverlaps,
} from '../src/engine/mtcnn/candidate';
import { computePNetOutputSide, computePyramid } from '../src/engine/mtcnn/pyramid';

function makeCandidate(x1: number, y1: number, x2: number, y2: number, score: number): Candidate {
  return { x1, y1, x2, y2, score, regression: [0, 0, 0, 0] };
}

describe('suppressOverlaps', () => {
  it('keeps the best of overlapping boxes', () => {
    const kept = suppressOverlaps(
      [makeCandidate(0, 0, 10, 10, 0.7), makeCandidate(1, 1, 11, 11, 0.9), makeCandidate(50, 50, 60, 60, 0.8)],
      0.5,
      'union',
    );
    expect(kept.map((candidate) => candidate.score)).toEqual([0.9, 0.8]);
  });

  it('keeps a nested box under union', () => {
    const kept = suppressOverlaps([makeCandidate(0, 0, 20, 20, 0.9), makeCandidate(5, 5, 10, 10, 0.8)], 0.7, 'union');
    expect(kept).toHaveLength(2);
  });

  it('removes a nested box under min', () => {
    const kept = suppressOverlaps([makeCandidate(0, 0, 20, 20, 0.9), makeCandidate(5, 5, 10, 10, 0.8)], 0.7, 'min');
    expect(kept).toHaveLength(1);
    expect(kept[0].score).toBe(0.9);
  });

  it('returns nothing for no candidates', () => {
    expect(suppressOverlaps([], 0.5, 'union')).toEqual([]);
  });
});

describe('computeOverlap', () => {
  it('computes intersection over union', () => {
    // Two 10x10 boxes sharing a 5x10 strip: 50 / (100 + 100 - 50).
    expect(computeOverlap(makeCandidate(0, 0, 10, 10, 1), makeCandidate(5, 0, 15, 10, 1), 'union')).toBeCloseTo(1 / 3, 12);
  });

  it('returns 0 for touching boxes', () => {
    expect(computeOverlap(makeCandidate(0, 0, 10, 10, 1), makeCandidate(10, 0, 20, 10, 1), 'union')).toBe(0);
  });
});

describe('applyRegression and squareBox', () => {
  it('moves corners by box fractions', () => {
    const moved = applyRegression({ ...makeCandidate(10, 20, 30, 60, 1), regression: [0.1, -0.25, 0.5, 0] });
    expect([moved.x1, moved.y1, moved.x2, moved.y2]).toEqual([12, 10, 40, 60]);
  });

  it('squares around the center', () => {
    const square = squareBox(makeCandidate(10, 20, 30, 60, 1));
    expect([square.x1, square.y1, square.x2, square.y2]).toEqual([0, 20, 40, 60]);
  });
});

describe('computePyramid', () => {
  it('covers a 640x360 frame in nine levels', () => {
    const levels = computePyramid(640, 360, 20, 0.709);
    expect(levels).toHaveLength(9);
    expect(levels[0]).toMatchObject({ width: 384, height: 216 });
    expect(levels[8].height).toBeGreaterThanOrEqual(12);
  });

  it('starts smaller for a larger minimum face', () => {
    const levels = computePyramid(640, 360, 40, 0.709);
    expect(levels[0]).toMatchObject({ width: 192, height: 108 });
  });

  it('returns no levels below 12 px', () => {
    expect(computePyramid(30, 11, 12, 0.709)).toEqual([]);
  });

  it('sizes P-Net outputs', () => {
    expect(computePNetOutputSide(12)).toBe(1);
    expect(computePNetOutputSide(13)).toBe(2);
    expect(computePNetOutputSide(14)).toBe(2);
    expect(computePNetOutputSide(216)).toBe(103);
  });
});
