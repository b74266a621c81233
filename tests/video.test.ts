import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, MediaError, probeMedia, workingSize } from '../src/node/video';
import { ffmpeg, HAS_FFMPEG, makeFacelessVideo, makeTempDir } from './helpers/media';

describe('workingSize', () => {
  it('keeps small frames', () => {
    expect(workingSize({ width: 640, height: 360 }, 1280)).toEqual({ width: 640, height: 360, scale: 1 });
  });

  it('fits the longer side', () => {
    const size = workingSize({ width: 1920, height: 1080 }, 1280);
    expect(size.width).toBe(1280);
    expect(size.height).toBe(720);
    expect(size.scale).toBeCloseTo(2 / 3, 12);
  });

  it('treats 0 as no limit', () => {
    expect(workingSize({ width: 4000, height: 3000 }, 0).scale).toBe(1);
  });
});

describe.skipIf(!HAS_FFMPEG)('probeMedia and decodeFrames', () => {
  let dir = '';
  let video = '';

  beforeAll(() => {
    dir = makeTempDir('video-test');
    video = makeFacelessVideo(path.join(dir, 'noise.mp4'), 2);
  });

  it('reads video properties', async () => {
    const info = await probeMedia(video);
    expect(info.kind).toBe('video');
    expect(info.width).toBe(320);
    expect(info.height).toBe(240);
    expect(info.fps).toBe(25);
  });

  it('decodes every fifth frame', async () => {
    const info = await probeMedia(video);
    const frames = [];
    for await (const frame of decodeFrames(video, info, { every: 5 })) {
      frames.push(frame);
    }
    // 2 s at 25 fps is 50 frames: indices 0, 5, ..., 45.
    expect(frames.map((frame) => frame.index)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(frames[1].timeSeconds).toBeCloseTo(0.2, 12);
    expect(frames[0].image.data.length).toBe(320 * 240 * 4);
  });

  it('stops at maxFrames', async () => {
    const info = await probeMedia(video);
    let count = 0;
    for await (const frame of decodeFrames(video, info, { every: 1, maxFrames: 3 })) {
      count += frame.image.width > 0 ? 1 : 0;
    }
    expect(count).toBe(3);
  });

  it('reads a still image as one frame', async () => {
    const image = path.join(dir, 'still.png');
    ffmpeg(['-i', video, '-frames:v', '1', image]);
    const info = await probeMedia(image);
    expect(info.kind).toBe('image');
    const frames = [];
    for await (const frame of decodeFrames(image, info)) {
      frames.push(frame);
    }
    expect(frames).toHaveLength(1);
  });

  it('rejects a missing file', async () => {
    await expect(probeMedia(path.join(dir, 'absent.mp4'))).rejects.toThrow(/absent\.mp4: file not found/);
  });

  it('rejects an empty file', async () => {
    const empty = path.join(dir, 'empty.mp4');
    writeFileSync(empty, '');
    await expect(probeMedia(empty)).rejects.toThrow(/empty\.mp4: is empty/);
  });

  it('rejects a text file', async () => {
    const text = path.join(dir, 'notes.mp4');
    writeFileSync(text, 'this is not a video\n'.repeat(50));
    await expect(probeMedia(text)).rejects.toThrow(MediaError);
    await expect(probeMedia(text)).rejects.toThrow(/notes\.mp4: not a readable video or image/);
  });

  it('rejects audio without video', async () => {
    const audio = path.join(dir, 'tone.m4a');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', audio]);
    await expect(probeMedia(audio)).rejects.toThrow(/tone\.m4a: contains no video stream/);
  });

  it('survives a truncated video', async () => {
    const truncated = path.join(dir, 'truncated.mp4');
    const bytes = readFileSync(video);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    // A cut MP4 loses its index (moov atom at the end), so ffprobe cannot open it at all.
    await expect(probeMedia(truncated)).rejects.toThrow(/truncated\.mp4/);
  });
});
