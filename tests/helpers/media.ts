import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** True when ffmpeg and ffprobe are on the PATH (`npm run setup` installs them). */
export const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0 && spawnSync('ffprobe', ['-version']).status === 0;

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');
export const HAS_SHARED_DATA = existsSync(SHARED_DATA);

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-`));
}

/** Runs ffmpeg quietly and fails loudly when it fails. */
export function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes an H.264 video of `seconds` at `fps` that shows `image` slowly panning, so frames differ. */
export function makeVideoFromImage(image: string, output: string, seconds = 2, fps = 25): string {
  ffmpeg([
    '-loop', '1', '-i', image, '-t', String(seconds), '-r', String(fps),
    '-vf', "scale=640:-2,crop=iw-16:ih-16:8+8*sin(t):8,scale=640:-2,format=yuv420p",
    '-c:v', 'libx264', '-preset', 'ultrafast', output,
  ]);
  return output;
}

/** Makes a video of coloured noise with no face in it. */
export function makeFacelessVideo(output: string, seconds = 1): string {
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', output]);
  return output;
}
