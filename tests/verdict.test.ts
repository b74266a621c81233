import { describe, expect, it } from 'vitest';
import { VideoScore, intersectionOverUnion } from '../src/engine/verdict';
import type { Box, ScoredFace } from '../src/engine/types';

const CLOSE = 1e-9;

function face(box: Box, fakeProbability: number | null, score = 0.99): ScoredFace {
  const { x, y, width, height } = box;
  const centre: [number, number] = [x + width / 2, y + height / 2];
  return { box, score, fakeProbability, landmarks: [centre, centre, centre, centre, centre] };
}

const left: Box = { x: 10, y: 10, width: 100, height: 100 };
const right: Box = { x: 400, y: 10, width: 100, height: 100 };

describe('intersectionOverUnion', () => {
  it('is 1 for identical boxes', () => {
    expect(intersectionOverUnion(left, left)).toBeCloseTo(1, 12);
  });

  it('is 0 for disjoint boxes', () => {
    expect(intersectionOverUnion(left, right)).toBe(0);
  });

  it('matches a hand-computed half overlap', () => {
    const shifted = { ...left, x: left.x + 50 };
    // Intersection 50x100 = 5000, union 2 * 10000 - 5000 = 15000.
    expect(intersectionOverUnion(left, shifted)).toBeCloseTo(5000 / 15000, 12);
  });
});

describe('VideoScore', () => {
  it('averages only confident frames at the share', () => {
    const score = new VideoScore();
    const probabilities = [0.1, 0.2, 0.3, 0.9];
    probabilities.forEach((p, i) => score.addFrame(i * 5, i, [face(left, p)]));

    const verdict = score.verdict();
    // One confident frame of four is exactly the default 25 % share, so only it counts.
    expect(verdict.tracks[0].confidentFrames).toBe(1);
    expect(verdict.fakeProbability).toBeCloseTo(0.9, 12);
    expect(verdict.meanProbability).toBeCloseTo(0.375, 12);
  });

  it('uses the plain mean below the confident share', () => {
    const score = new VideoScore({ minConfidentFraction: 0.5 });
    [0.1, 0.2, 0.3, 0.9].forEach((p, i) => score.addFrame(i, i, [face(left, p)]));
    expect(score.verdict().fakeProbability).toBeCloseTo(0.375, 12);
  });

  it('keeps two people on separate tracks', () => {
    const score = new VideoScore();
    for (let i = 0; i < 4; i++) {
      score.addFrame(i, i / 10, [face(left, 0.1), face(right, 0.95)]);
    }

    const verdict = score.verdict();
    expect(verdict.tracks).toHaveLength(2);
    expect(verdict.tracks.map((track) => track.frames)).toEqual([4, 4]);
    // The video takes the most suspicious person, not the average of both.
    expect(verdict.fakeProbability).toBeCloseTo(0.95, 12);
    expect(verdict.meanProbability).toBeCloseTo(0.525, 12);
  });

  it('counts frames without faces', () => {
    const score = new VideoScore();
    score.addFrame(0, 0, []);
    score.addFrame(5, 0.2, [face(left, 0.4)]);
    score.addFrame(10, 0.4, []);

    const verdict = score.verdict();
    expect(verdict.framesSampled).toBe(3);
    expect(verdict.framesWithFaces).toBe(1);
  });

  it('gives no probability without a classifier', () => {
    const score = new VideoScore();
    score.addFrame(0, 0, [face(left, null)]);

    const verdict = score.verdict();
    expect(verdict.fakeProbability).toBeNull();
    expect(verdict.meanProbability).toBeNull();
    expect(verdict.framesWithFaces).toBe(1);
  });

  it('ignores short tracks when a long one exists', () => {
    const score = new VideoScore();
    for (let i = 0; i < 5; i++) {
      const faces = i === 2 ? [face(left, 0.2), face(right, 0.99)] : [face(left, 0.2)];
      score.addFrame(i, i, faces);
    }
    // The one-frame glimpse at the right is likely a false detection, so it does not decide the video.
    expect(score.verdict().fakeProbability).toBeCloseTo(0.2, 12);
  });

  it('starts a new track after a long gap', () => {
    const score = new VideoScore({ maxMissedFrames: 2 });
    score.addFrame(0, 0, [face(left, 0.5)]);
    score.addFrame(10, 1, [face(left, 0.5)]);
    expect(score.verdict().tracks).toHaveLength(2);
  });

  it('bounds the timeline length', () => {
    const score = new VideoScore({ maxTimelinePoints: 3 });
    for (let i = 0; i < 10; i++) {
      score.addFrame(i, i, [face(left, i / 10)]);
    }

    const timeline = score.recentFrames();
    expect(timeline).toHaveLength(3);
    expect(timeline[0].timeSeconds).toBe(7);
    expect(timeline[2].fakeProbability).toBeCloseTo(0.9, 12);
    expect(Math.abs((timeline[1].fakeProbability as number) - 0.8)).toBeLessThan(CLOSE);
  });
});

describe('VideoScore with faces of different sizes', () => {
  it('lets the main face decide over a small one', () => {
    const score = new VideoScore();
    const presenter: Box = { x: 100, y: 100, width: 250, height: 250 };
    const background: Box = { x: 600, y: 50, width: 80, height: 80 };
    for (let i = 0; i < 5; i++) {
      score.addFrame(i, i, [face(presenter, 0.2), face(background, 0.7)]);
    }

    const verdict = score.verdict();
    expect(verdict.fakeProbability).toBeCloseTo(0.2, 12);
    expect(verdict.tracks.find((track) => track.id === verdict.decidingTrackId)?.meanFaceWidth).toBe(250);
  });

  it('counts a small face when it is the only one', () => {
    const score = new VideoScore();
    const small: Box = { x: 10, y: 10, width: 40, height: 40 };
    for (let i = 0; i < 3; i++) {
      score.addFrame(i, i, [face(small, 0.8)]);
    }
    expect(score.verdict().fakeProbability).toBeCloseTo(0.8, 12);
  });

  it('names no deciding track without scores', () => {
    expect(new VideoScore().verdict().decidingTrackId).toBeNull();
  });
});
