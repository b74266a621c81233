import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Default cache folder, relative to the working directory. */
export const DEFAULT_FACE_CACHE_DIR = '.cache/faces';

/** File signature of a cache entry, followed by a uint32 LE header length, the JSON header and the face bytes. */
const CACHE_MAGIC = 'DFFC';
const CACHE_FORMAT_VERSION = 1;

/** Faces cut from one video or image. */
export interface CachedFaces {
  /** Side of each square grey face, in pixels. */
  faceSize: number;
  /** Number of faces; `faces` contains `count * faceSize * faceSize` bytes, 0..255. */
  count: number;
  /** Source frame index of each face (0 for images). */
  frameIndices: number[];
  faces: Uint8Array;
}

/**
 * Returns the cache key of a file: a SHA-256 over its absolute path, size, modification time and
 * the extraction settings, so a changed file or setting never reuses stale faces.
 */
export async function faceCacheKey(filePath: string, settings: Record<string, string | number>): Promise<string> {
  const info = await stat(filePath);
  const sortedSettings = Object.keys(settings).sort().map((name) => [name, settings[name]]);
  const material = JSON.stringify({ path: path.resolve(filePath), size: info.size, mtimeMs: info.mtimeMs, settings: sortedSettings, format: CACHE_FORMAT_VERSION });
  return createHash('sha256').update(material).digest('hex');
}

function entryPath(cacheDir: string, key: string): string {
  return path.join(cacheDir, key.slice(0, 2), `${key}.faces`);
}

/** Reads a cache entry, or returns null when it is absent or fails validation (a damaged entry is deleted). */
export async function readCachedFaces(cacheDir: string, key: string): Promise<CachedFaces | null> {
  const filePath = entryPath(cacheDir, key);
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  const parsed = parseEntry(bytes);
  if (parsed === null) {
    await unlink(filePath).catch(() => undefined);
  }
  return parsed;
}

function parseEntry(bytes: Buffer): CachedFaces | null {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== CACHE_MAGIC) return null;
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) return null;

  let header: { faceSize?: unknown; count?: unknown; frameIndices?: unknown };
  try {
    header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as typeof header;
  } catch {
    return null;
  }
  const { faceSize, count, frameIndices } = header;
  if (typeof faceSize !== 'number' || typeof count !== 'number' || !Array.isArray(frameIndices) || frameIndices.length !== count) return null;
  const faces = new Uint8Array(bytes.buffer, bytes.byteOffset + 8 + headerLength, bytes.length - 8 - headerLength);
  if (faces.length !== count * faceSize * faceSize) return null;
  return { faceSize, count, frameIndices: frameIndices as number[], faces: new Uint8Array(faces) };
}

/**
 * Writes a cache entry atomically: the bytes go to a temporary file in the same folder, which is
 * then renamed over the entry, so an interrupted run leaves either no entry or a whole one.
 */
export async function writeCachedFaces(cacheDir: string, key: string, value: CachedFaces): Promise<void> {
  if (value.faces.length !== value.count * value.faceSize * value.faceSize || value.frameIndices.length !== value.count) {
    throw new Error(`face cache: entry ${key} has ${value.faces.length} bytes and ${value.frameIndices.length} frame indices for ${value.count} faces of ${value.faceSize} px`);
  }
  const filePath = entryPath(cacheDir, key);
  await mkdir(path.dirname(filePath), { recursive: true });

  const header = Buffer.from(JSON.stringify({ faceSize: value.faceSize, count: value.count, frameIndices: value.frameIndices }), 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.write(CACHE_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 4);

  const temporaryPath = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporaryPath, Buffer.concat([prefix, header, value.faces]));
    await rename(temporaryPath, filePath);
  } catch (error) {
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
}
