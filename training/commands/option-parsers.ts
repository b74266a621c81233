import { InvalidArgumentError } from 'commander';
import { FACE_CROP_FRAMING, type FaceFraming } from '../data/face-extractor';
import type { SplitFractions } from '../data/split';

/** Returns a commander parser for a whole number of at least `minimum`. */
export function integerAtLeast(minimum: number): (value: string) => number {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum) throw new InvalidArgumentError(`expected a whole number of at least ${minimum}, got "${value}"`);
    return parsed;
  };
}

/** Returns a commander parser for a finite number in [minimum, maximum]. */
export function numberBetween(minimum: number, maximum: number): (value: string) => number {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < minimum || parsed > maximum) {
      throw new InvalidArgumentError(`expected a number from ${minimum} to ${maximum}, got "${value}"`);
    }
    return parsed;
  };
}

/** Parses `70,15,15` (percentages or fractions, normalised later) into split fractions. */
export function parseSplitFractions(value: string): SplitFractions {
  const parts = value.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part) || part < 0) || parts[0] <= 0 || parts[1] <= 0) {
    throw new InvalidArgumentError(`expected three non-negative numbers train,validation,test with train and validation above 0, such as 70,15,15; got "${value}"`);
  }
  const total = parts[0] + parts[1] + parts[2];
  return { train: parts[0] / total, validation: parts[1] / total, test: parts[2] / total };
}

/** Parses `min,max` JPEG qualities in 1..100. */
export function parseQualityRange(value: string): [number, number] {
  const parts = value.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 2 || parts.some((part) => !Number.isInteger(part) || part < 1 || part > 100) || parts[0] > parts[1]) {
    throw new InvalidArgumentError(`expected min,max JPEG qualities from 1 to 100, such as 60,95; got "${value}"`);
  }
  return [parts[0], parts[1]];
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a comma-separated list. */
export function parseList(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/** Parses `aligned`, `box` (the DFDC face-crop framing) or `box:scale,offsetX,offsetY`. */
export function parseFraming(value: string): FaceFraming {
  const text = value.trim();
  if (text === 'aligned') return { kind: 'aligned' };
  if (text === 'box') return { ...FACE_CROP_FRAMING };
  const match = /^box:(.+)$/.exec(text);
  const parts = match === null ? [] : match[1].split(',').map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part)) || !(parts[0] > 0) || parts[0] > 4 || Math.abs(parts[1]) > 1 || Math.abs(parts[2]) > 1) {
    throw new InvalidArgumentError(`expected "aligned", "box" or "box:scale,offsetX,offsetY" with scale in (0, 4] and offsets in [-1, 1] box widths, such as box:0.9,0.013,0.042; got "${value}"`);
  }
  return { kind: 'box', scale: parts[0], offsetX: parts[1], offsetY: parts[2] };
}
