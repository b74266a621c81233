/**
 * A minimal loader for a DFDC face-crop set (`real/`, `fake/` and `labels.csv` with
 * `path,label,original`), used to train the default classifier until the `train` CLI's dataset
 * pipeline covers this layout. Each crop is used whole: converted to grey and resized to
 * 128x128, without detection or alignment.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readImageFile, wholeImageToGreyFace } from './data/image-file';
import type { FaceDataset } from './train-loop';

const FACE_SIZE = 128;
const FACE_BYTES = FACE_SIZE * FACE_SIZE;

/** One row of `labels.csv`. */
export interface CropRecord {
  /** Path relative to the dataset root, such as `fake/abc.jpg`. */
  path: string;
  label: 0 | 1;
  /** Source group: the real video's stem for a real crop and for every fake made from it. */
  group: string;
}

export interface DfdcFacesOptions {
  /** Fraction of source groups held out for validation, 0 to 1. Default 0.1. */
  validationFraction?: number;
  /** Seed of the group split. Default 1. */
  seed?: number;
  /** Folder of the decoded-face cache. Default `.cache/dfdc-faces`. */
  cacheDir?: string;
  /** Reads at most this many crops (the first rows of `labels.csv`); 0 reads all. Default 0. */
  limit?: number;
  /** Called every 500 decoded crops. */
  onDecode?(done: number, total: number): void;
}

const DEFAULT_VALIDATION_FRACTION = 0.1;
const DEFAULT_SEED = 1;
const DEFAULT_CACHE_DIR = '.cache/dfdc-faces';
const DECODE_REPORT_EVERY = 500;

/** Parses `labels.csv` of a DFDC face-crop set. Throws on a malformed row, naming it. */
export function parseDfdcLabels(csv: string): CropRecord[] {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift();
  if (header?.trim() !== 'path,label,original') {
    throw new Error(`DFDC faces loader: labels.csv starts with "${header}"; expected the header "path,label,original"`);
  }
  return lines.map((line, index) => {
    const [file, label, original] = line.split(',');
    if (label !== 'REAL' && label !== 'FAKE') {
      throw new Error(`DFDC faces loader: labels.csv row ${index + 2} has label "${label}"; expected REAL or FAKE`);
    }
    const stem = path.basename(file, path.extname(file));
    const group = label === 'REAL' ? stem : path.basename(original ?? '', path.extname(original ?? ''));
    if (group === '') {
      throw new Error(`DFDC faces loader: labels.csv row ${index + 2} is a fake without an original; fill the original column`);
    }
    return { path: file, label: label === 'FAKE' ? 1 : 0, group };
  });
}

/** Assigns a group to validation when a seeded hash of its name falls below the fraction. */
export function isValidationGroup(group: string, fraction: number, seed: number): boolean {
  const digest = createHash('sha256').update(`${seed}:${group}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < fraction;
}

/**
 * Loads, decodes (once, then from the cache) and splits the crops by source group, so a real
 * crop and the fakes made from it stay on one side.
 */
export async function loadDfdcFaces(root: string, options: DfdcFacesOptions = {}): Promise<{ train: FaceDataset; validation: FaceDataset; records: CropRecord[] }> {
  const fraction = options.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const seed = options.seed ?? DEFAULT_SEED;
  const limit = options.limit ?? 0;
  let records = parseDfdcLabels(await readFile(path.join(root, 'labels.csv'), 'utf8'));
  if (limit > 0) {
    records = records.slice(0, limit);
  }

  const images = await readOrDecodeFaces(root, records, options.cacheDir ?? DEFAULT_CACHE_DIR, options.onDecode);
  const isValidation = records.map((record) => isValidationGroup(record.group, fraction, seed));
  const pick = (wanted: boolean): FaceDataset => packRecords(records, images, isValidation.map((value) => value === wanted));
  return { train: pick(false), validation: pick(true), records };
}

function packRecords(records: CropRecord[], images: Uint8Array, selected: boolean[]): FaceDataset {
  const indices = selected.flatMap((value, index) => (value ? [index] : []));
  const out = new Uint8Array(indices.length * FACE_BYTES);
  indices.forEach((source, target) => out.set(images.subarray(source * FACE_BYTES, (source + 1) * FACE_BYTES), target * FACE_BYTES));
  return {
    images: out,
    labels: Uint8Array.from(indices, (index) => records[index].label),
    count: indices.length,
    videoIds: indices.map((index) => `dfdc-faces:${records[index].path}`),
    methods: indices.map((index) => (records[index].label === 1 ? 'DFDC' : 'real')),
  };
}

async function readOrDecodeFaces(root: string, records: CropRecord[], cacheDir: string, onDecode?: (done: number, total: number) => void): Promise<Uint8Array> {
  // The key covers the dataset folder, the list of files and the face size, not file contents.
  const key = createHash('sha256')
    .update(`${path.resolve(root)}|${FACE_SIZE}|${records.map((record) => record.path).join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  const cacheFile = path.join(cacheDir, `${key}.grey${FACE_SIZE}`);
  try {
    const cached = new Uint8Array(await readFile(cacheFile));
    if (cached.length === records.length * FACE_BYTES) {
      return cached;
    }
  } catch {
    // No cache yet: decode below.
  }

  const images = new Uint8Array(records.length * FACE_BYTES);
  for (const [index, record] of records.entries()) {
    const face = wholeImageToGreyFace(await readImageFile(path.join(root, record.path)), FACE_SIZE);
    images.set(face.data, index * FACE_BYTES);
    if ((index + 1) % DECODE_REPORT_EVERY === 0) {
      onDecode?.(index + 1, records.length);
    }
  }
  await mkdir(cacheDir, { recursive: true });
  await writeFile(`${cacheFile}.partial`, images);
  await rename(`${cacheFile}.partial`, cacheFile);
  return images;
}
