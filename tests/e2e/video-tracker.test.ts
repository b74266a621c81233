/** Unit tests of the offscreen document's per-video state machine; no browser needed. */
import { describe, expect, test } from 'vitest';
import type { ScoredFace } from '../../src/engine/types';
import { BLACK_FRAMES_FOR_CANNOT_SCAN, NO_FACE_AFTER_FRAMES, VideoTracker } from '../../src/offscreen/video-tracker';

function face(fakeProbability: number | null): ScoredFace {
  return {
    box: { x: 100, y: 80, width: 120, height: 150 },
    landmarks: [[140, 140], [180, 140], [160, 170], [145, 195], [175, 195]],
    score: 0.99,
    fakeProbability,
  };
}

describe('VideoTracker', () => {
  test('faceless frames become no-face', () => {
    const tracker = new VideoTracker();
    for (let frame = 1; frame < NO_FACE_AFTER_FRAMES; frame++) {
      expect(tracker.addFrame(frame, frame / 30, [], true).result.status).toBe('analysing');
    }
    const { result } = tracker.addFrame(NO_FACE_AFTER_FRAMES, 1, [], true);
    expect(result.status).toBe('no-face');
    expect(result.fakeProbability).toBeNull();
    expect(result.framesAnalysed).toBe(NO_FACE_AFTER_FRAMES);
  });

  test('untrained model gives no probability', () => {
    const tracker = new VideoTracker();
    let last = tracker.addFrame(1, 0, [face(null)], false);
    for (let frame = 2; frame <= 5; frame++) last = tracker.addFrame(frame, frame / 30, [face(null)], false);
    expect(last.result.status).toBe('analysing');
    expect(last.result.framesWithFaces).toBe(5);
    expect(last.result.fakeProbability).toBeNull();
    expect(last.point.fakeProbability).toBeNull();
  });

  test('trained model reports the verdict', () => {
    const tracker = new VideoTracker();
    let last = tracker.addFrame(1, 0, [face(0.9)], true);
    for (let frame = 2; frame <= 5; frame++) last = tracker.addFrame(frame, frame / 30, [face(0.9)], true);
    expect(last.result.fakeProbability).toBeCloseTo(0.9, 6);
    expect(last.result.facesInLastFrame).toBe(1);
    expect(last.point.timeSeconds).toBeCloseTo(5 / 30, 6);
  });

  test('black frames before content mean cannot-scan', () => {
    const tracker = new VideoTracker();
    let result = tracker.addBlackFrame();
    for (let frame = 2; frame <= BLACK_FRAMES_FOR_CANNOT_SCAN; frame++) result = tracker.addBlackFrame();
    expect(result.status).toBe('cannot-scan');
    expect(result.fakeProbability).toBeNull();
    expect(result.framesAnalysed).toBe(0);
  });

  test('black frames after content keep analysing', () => {
    const tracker = new VideoTracker();
    tracker.addFrame(1, 0, [face(0.2)], true);
    let result = tracker.addBlackFrame();
    for (let frame = 2; frame <= BLACK_FRAMES_FOR_CANNOT_SCAN + 1; frame++) result = tracker.addBlackFrame();
    expect(result.status).toBe('analysing');
  });

  test('thumbnail turns are spaced', () => {
    const tracker = new VideoTracker();
    expect(tracker.takeThumbnailTurn(1000)).toBe(true);
    expect(tracker.takeThumbnailTurn(1500)).toBe(false);
    expect(tracker.takeThumbnailTurn(3100)).toBe(true);
  });
});
