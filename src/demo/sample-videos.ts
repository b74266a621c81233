/**
 * Makes the demo and test videos with ffmpeg (Node only). Generated videos are
 * cached under `.cache/videos/` and never committed. The face comes from the
 * public-domain `astronaut.png` (Eileen Collins, NASA) that Debian's python3-skimage
 * installs; `tests/fixtures/astronaut.jpg` is the fallback.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CACHE_DIR = join(REPO_ROOT, '.cache', 'videos');
const FACE_IMAGES = [
  '/usr/lib/python3/dist-packages/skimage/data/astronaut.png',
  join(REPO_ROOT, 'tests/fixtures/astronaut.jpg'),
];

/** Size and length of a generated video. */
export interface SampleVideoOptions {
  width: number;
  height: number;
  seconds: number;
  fps: number;
}

export const DEFAULT_FACE_VIDEO: SampleVideoOptions = { width: 1280, height: 720, seconds: 10, fps: 30 };

function findFaceImage(): string {
  const image = FACE_IMAGES.find((path) => existsSync(path));
  if (image === undefined) {
    throw new Error(`Sample video: no face image at ${FACE_IMAGES.join(' or ')}; run npm run setup to install python3-skimage`);
  }
  return image;
}

function runFfmpeg(args: string[]): void {
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`Sample video: ffmpeg failed (${String(error)}); run npm run setup to install ffmpeg`);
  }
}

/** VP8 in WebM, because every Chromium build decodes it (H.264 depends on the build's codecs). */
const VP8_ARGS = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '2M', '-pix_fmt', 'yuv420p', '-an'];

/**
 * Returns a WebM of the astronaut's face, centred on a grey background and slowly
 * drifting so consecutive frames differ. Generated once per size, then cached.
 */
export function ensureFaceVideo(options: Partial<SampleVideoOptions> = {}): string {
  const { width, height, seconds, fps } = { ...DEFAULT_FACE_VIDEO, ...options };
  const output = join(CACHE_DIR, `face-${width}x${height}-${seconds}s-${fps}fps.webm`);
  if (existsSync(output)) return output;
  mkdirSync(CACHE_DIR, { recursive: true });
  const filter =
    `[0:v]scale=-2:${height},format=yuv420p[face];` +
    `color=c=gray:s=${width}x${height}:r=${fps}:d=${seconds}[bg];` +
    `[bg][face]overlay=x=(W-w)/2+20*sin(t):y=0:shortest=1,format=yuv420p`;
  runFfmpeg(['-loop', '1', '-r', String(fps), '-i', findFaceImage(), '-filter_complex', filter, '-t', String(seconds), ...VP8_ARGS, output]);
  return output;
}

/** Returns an all-black WebM, which reads back like DRM-protected video, cached like {@link ensureFaceVideo}. */
export function ensureBlackVideo(seconds = 10): string {
  const output = join(CACHE_DIR, `black-${seconds}s.webm`);
  if (existsSync(output)) return output;
  mkdirSync(CACHE_DIR, { recursive: true });
  runFfmpeg(['-f', 'lavfi', '-i', `color=c=black:s=640x360:r=30:d=${seconds}`, ...VP8_ARGS, output]);
  return output;
}

/** Returns a WebM of a moving test pattern without any face, cached like {@link ensureFaceVideo}. */
export function ensureFacelessVideo(seconds = 10): string {
  const output = join(CACHE_DIR, `faceless-${seconds}s.webm`);
  if (existsSync(output)) return output;
  mkdirSync(CACHE_DIR, { recursive: true });
  runFfmpeg(['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30:duration=${seconds}`, ...VP8_ARGS, output]);
  return output;
}
