import { ModelImportError } from './model-import-error';
import { MODEL_JSON, normalizeModelPath, type ModelFiles } from './model-files';

/** One entry of a TF.js weights manifest (`model.json` → `weightsManifest[].weights[]`). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** One group of a TF.js weights manifest: the shards whose concatenation contains the listed weights in order. */
export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** The parts of a TF.js layers-format `model.json` the store checks. */
export interface ModelJson {
  format?: string;
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightGroup[];
}

/** Bytes per value of each stored dtype. Quantised weights are stored in their quantisation dtype. */
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Parses `model.json` and checks that it is a TF.js layers model with a weights manifest. */
export function parseModelJson(files: ModelFiles): ModelJson {
  const bytes = files.get(MODEL_JSON);
  if (bytes === undefined) {
    throw new ModelImportError('missing-file', `Model import: ${MODEL_JSON} is missing; select the whole folder the training CLI exported.`);
  }
  const parsed = parseJson(bytes, MODEL_JSON);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ModelImportError('invalid-topology', `Model import: ${MODEL_JSON} is not a JSON object.`);
  }
  const model = parsed as Partial<ModelJson>;
  if (model.format !== undefined && model.format !== 'layers-model') {
    throw new ModelImportError('invalid-topology', `Model import: ${MODEL_JSON} has format "${model.format}"; the engine loads TF.js layers models (format "layers-model").`);
  }
  if (typeof model.modelTopology !== 'object' || model.modelTopology === null) {
    throw new ModelImportError('invalid-topology', `Model import: ${MODEL_JSON} has no "modelTopology"; export the model with the training CLI (TF.js layers format).`);
  }
  if (!Array.isArray(model.weightsManifest) || model.weightsManifest.length === 0) {
    throw new ModelImportError('invalid-topology', `Model import: ${MODEL_JSON} has no "weightsManifest"; export the model with its weights.`);
  }
  for (const group of model.weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights) || !group.paths.every((path) => typeof path === 'string')) {
      throw new ModelImportError('invalid-topology', `Model import: ${MODEL_JSON} has a weightsManifest group without "paths" and "weights" lists.`);
    }
  }
  return model as ModelJson;
}

/** Parses a JSON file of the export, naming it in the error. */
export function parseJson(bytes: Uint8Array, path: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelImportError('invalid-json', `Model import: ${path} is not UTF-8 text; select the ${path} the training CLI wrote.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ModelImportError('invalid-json', `Model import: ${path} is not valid JSON (${detail}); select the ${path} the training CLI wrote.`);
  }
}

/**
 * Checks every weight group: its shards exist, their total size equals the size the specs
 * declare (a truncated or padded shard fails here), and every float value is finite.
 * Returns the paths of all shard files.
 */
export function checkWeights(model: ModelJson, files: ModelFiles): string[] {
  const shardPaths: string[] = [];
  for (const group of model.weightsManifest) {
    const shards = group.paths.map((path) => readShard(path, files));
    shardPaths.push(...shards.map((shard) => shard.path));
    const data = concatenate(shards.map((shard) => shard.bytes));
    const expectedBytes = group.weights.reduce((sum, spec) => sum + specBytes(spec), 0);
    if (data.byteLength !== expectedBytes) {
      throw new ModelImportError(
        'weight-size-mismatch',
        `Model import: the shards ${group.paths.join(', ')} hold ${data.byteLength} bytes, but their weight specs in ${MODEL_JSON} need ${expectedBytes}; a shard is truncated or from another export.`,
      );
    }
    checkFinite(group.weights, data);
  }
  return shardPaths;
}

function readShard(path: string, files: ModelFiles): { path: string; bytes: Uint8Array } {
  const normalized = normalizeModelPath(path);
  if (normalized === null) {
    throw new ModelImportError('invalid-topology', `Model import: ${MODEL_JSON} names the unsafe shard path ${path}.`);
  }
  const bytes = files.get(normalized);
  if (bytes === undefined) {
    throw new ModelImportError('missing-file', `Model import: the weight shard ${normalized} named in ${MODEL_JSON} is missing; select it too.`);
  }
  return { path: normalized, bytes };
}

function specBytes(spec: WeightSpec): number {
  if (!Array.isArray(spec.shape) || !spec.shape.every((dim) => Number.isInteger(dim) && dim >= 0)) {
    throw new ModelImportError('invalid-topology', `Model import: weight ${spec.name} in ${MODEL_JSON} has the invalid shape ${JSON.stringify(spec.shape)}.`);
  }
  const storedDtype = spec.quantization?.dtype ?? spec.dtype;
  const bytesPerValue = BYTES_PER_VALUE[storedDtype];
  if (bytesPerValue === undefined) {
    throw new ModelImportError('invalid-topology', `Model import: weight ${spec.name} has dtype ${storedDtype}, which the store cannot check; export float32 weights.`);
  }
  const size = spec.shape.reduce((product, dim) => product * dim, 1);
  return size * bytesPerValue;
}

function checkFinite(specs: WeightSpec[], data: Uint8Array): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const spec of specs) {
    const bytes = specBytes(spec);
    const badIndex = findNonFinite(spec, view, offset, bytes);
    if (badIndex !== null) {
      throw new ModelImportError(
        'non-finite-weights',
        `Model import: weight ${spec.name} has a NaN or infinite value at flat index ${badIndex}; the training diverged, so export a checkpoint from before it did.`,
      );
    }
    offset += bytes;
  }
}

/** Returns the flat index of the first NaN or infinite value of one weight, or null when all are finite. */
function findNonFinite(spec: WeightSpec, view: DataView, offset: number, bytes: number): number | null {
  const quantization = spec.quantization;
  if (quantization === undefined) {
    if (spec.dtype !== 'float32') {
      return null;
    }
    for (let i = 0; i < bytes / 4; i++) {
      if (!Number.isFinite(view.getFloat32(offset + i * 4, true))) {
        return i;
      }
    }
    return null;
  }
  if (quantization.dtype === 'float16') {
    for (let i = 0; i < bytes / 2; i++) {
      // An IEEE half with all five exponent bits set is infinite or NaN.
      if ((view.getUint16(offset + i * 2, true) & 0x7c00) === 0x7c00) {
        return i;
      }
    }
    return null;
  }
  // uint8 and uint16 values are finite; only the affine parameters can break dequantisation.
  const { scale, min } = quantization;
  return [scale, min].every((parameter) => parameter === undefined || Number.isFinite(parameter)) ? null : 0;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) {
    return parts[0];
  }
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

