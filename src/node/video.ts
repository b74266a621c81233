import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { RgbaImage } from '../engine/types';

/** A file that cannot be read as a video or image, with a message fit to show the user. */
export class MediaError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'MediaError';
  }
}

/** Properties of a file's first video stream, as ffprobe reports them. */
export interface MediaInfo {
  kind: 'video' | 'image';
  codec: string;
  width: number;
  height: number;
  /** Average frames per second, or null when the container omits it (still images). */
  fps: number | null;
  durationSeconds: number | null;
  /** Frame count from the container, or null when the container omits it. */
  frameCount: number | null;
}

/** One decoded frame. Pixel coordinates of `image` are scaled by `scale` from the source. */
export interface DecodedFrame {
  /** Index of the frame in the source video, counting from 0. */
  index: number;
  timeSeconds: number;
  image: RgbaImage;
  /** Working size divided by source size; divide working coordinates by it to get source pixels. */
  scale: number;
}

export interface DecodeOptions {
  /** Decode every Nth frame, starting with the first. Default 5. */
  every?: number;
  /** Downscale so the longer side is at most this many pixels; 0 keeps the source size. Default 0. */
  maxSide?: number;
  /** Stop after this many decoded frames. Default: no limit. */
  maxFrames?: number;
  /** Receives ffmpeg's error output for streams it decoded only in part. */
  onWarning?: (message: string) => void;
}

const IMAGE_FORMATS = /(^|,)(image2|png_pipe|jpeg_pipe|webp_pipe|bmp_pipe|gif|tiff_pipe|pgm_pipe|ppm_pipe)($|,)/;
const STDERR_LIMIT = 4000;

/** Reads the first video stream's properties with ffprobe. Throws `MediaError` with a plain reason. */
export async function probeMedia(file: string): Promise<MediaInfo> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      throw new MediaError(file, 'is not a regular file');
    }
    if (info.size === 0) {
      throw new MediaError(file, 'is empty (0 bytes)');
    }
  } catch (error) {
    if (error instanceof MediaError) {
      throw error;
    }
    throw new MediaError(file, 'file not found or not readable');
  }

  const { code, stdout, stderr } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]);
  if (code !== 0) {
    throw new MediaError(file, `not a readable video or image (ffprobe: ${firstLine(stderr) || `exit code ${code}`})`);
  }

  const probe = JSON.parse(stdout) as FfprobeOutput;
  const stream = probe.streams?.find((candidate) => candidate.codec_type === 'video');
  if (!stream || !stream.width || !stream.height) {
    throw new MediaError(file, 'contains no video stream');
  }

  const formatName = probe.format?.format_name ?? '';
  const isImage = IMAGE_FORMATS.test(formatName);
  return {
    kind: isImage ? 'image' : 'video',
    codec: stream.codec_name ?? 'unknown',
    width: stream.width,
    height: stream.height,
    fps: isImage ? null : parseRate(stream.avg_frame_rate) ?? parseRate(stream.r_frame_rate),
    durationSeconds: parseNumber(stream.duration) ?? parseNumber(probe.format?.duration),
    frameCount: parseNumber(stream.nb_frames),
  };
}

/**
 * Decodes every Nth frame of a video (or the single frame of an image) to RGBA with ffmpeg and
 * yields them in order. Throws `MediaError` when ffmpeg fails before the end of the stream.
 */
export async function* decodeFrames(file: string, info: MediaInfo, options: DecodeOptions = {}): AsyncGenerator<DecodedFrame> {
  const every = options.every ?? 5;
  if (!Number.isInteger(every) || every < 1) {
    throw new Error(`Frame step must be a whole number of at least 1, got ${every}`);
  }
  const { width, height, scale } = workingSize(info, options.maxSide ?? 0);
  const frameBytes = width * height * 4;

  const filters = [`select=not(mod(n\\,${every}))`, `scale=${width}:${height}:flags=area`];
  const args = ['-v', 'error', '-nostdin', '-i', file, '-vf', filters.join(','), '-fps_mode', 'passthrough'];
  if (options.maxFrames !== undefined) {
    args.push('-frames:v', String(options.maxFrames));
  }
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1');

  const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_LIMIT);
  });
  const exited = new Promise<number>((resolve, reject) => {
    ffmpeg.on('error', (error) => reject(new MediaError(file, `could not start ffmpeg (${error.message}); run npm run setup`)));
    ffmpeg.on('close', (code) => resolve(code ?? 1));
  });

  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let decoded = 0;
  try {
    for await (const chunk of ffmpeg.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === frameBytes) {
          const index = decoded * every;
          yield { index, timeSeconds: info.fps ? index / info.fps : 0, image: { width, height, data: frame }, scale };
          decoded += 1;
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    }
  } finally {
    // A consumer that stops early leaves ffmpeg writing into a closed pipe; end it.
    if (ffmpeg.exitCode === null) {
      ffmpeg.kill('SIGKILL');
    }
  }

  const code = await exited;
  if (code !== 0 && ffmpeg.signalCode === null) {
    throw new MediaError(file, `decoding failed after ${decoded} frames (ffmpeg: ${firstLine(stderr) || `exit code ${code}`})`);
  }
  if (stderr.trim() && options.onWarning) {
    options.onWarning(`${file}: ffmpeg reported errors while decoding: ${firstLine(stderr)}`);
  }
}

/** Computes the decoding size: the source size, or smaller so the longer side fits `maxSide`. */
export function workingSize(info: Pick<MediaInfo, 'width' | 'height'>, maxSide: number): { width: number; height: number; scale: number } {
  const longer = Math.max(info.width, info.height);
  if (maxSide <= 0 || longer <= maxSide) {
    return { width: info.width, height: info.height, scale: 1 };
  }
  const scale = maxSide / longer;
  // Even sizes keep ffmpeg's scaler and chroma subsampling happy.
  const width = Math.max(2, Math.round((info.width * scale) / 2) * 2);
  const height = Math.max(2, Math.round((info.height * scale) / 2) * 2);
  return { width, height, scale: width / info.width };
}

interface FfprobeOutput {
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; duration?: string; nb_frames?: string }[];
  format?: { format_name?: string; duration?: string };
}

function parseRate(rate: string | undefined): number | null {
  if (!rate) {
    return null;
  }
  const [numerator, denominator] = rate.split('/').map(Number);
  const value = denominator ? numerator / denominator : numerator;
  return Number.isFinite(value) && value > 0 ? value : null;
}

function parseNumber(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) ? value : null;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`could not start ${command} (${error.message}); run npm run setup to install ffmpeg`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
