import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './types';

/** Measured cost of one backend on the start-up probe. */
export interface BackendTiming {
  name: BackendName;
  /** Median milliseconds of one probe run, or null when the backend failed to start or run. */
  msPerFrame: number | null;
  error?: string;
}

/** The backend the engine runs on and the measurements behind the choice. */
export interface BackendReport {
  name: BackendName;
  timings: BackendTiming[];
}

export interface BackendSelectionOptions {
  /** Backends to try, in order of preference when timings tie. Default: `ALL_BACKENDS`, less `tensorflow` outside Node. */
  candidates?: BackendName[];
  /** Time budget per backend for timed probe runs, in milliseconds. Default 1,500. */
  budgetMs?: number;
  /** Number of timed probe runs per backend (fewer when the budget runs out). Default 3. */
  runs?: number;
}

export const ALL_BACKENDS: BackendName[] = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];
const DEFAULT_BUDGET_MS = 1500;
const DEFAULT_RUNS = 3;
const HOPELESS_FACTOR = 5;
/** Freed WebGL textures kept for reuse before TF.js starts deleting them. */
const WEBGL_TEXTURE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Times every candidate backend on a probe shaped like the engine's work and activates the
 * fastest. The probe is a small P-Net-like convolution stack on a 96x160 RGB frame plus the
 * first two AlexNet convolutions on a batch of four 128x128 grey faces.
 *
 * Picking by measurement matters: a software WebGPU adapter (SwiftShader) starts fine but runs
 * about 100 times slower than WASM on a CPU, so the name of a backend tells nothing about its speed.
 */
export async function selectBackend(options: BackendSelectionOptions = {}): Promise<BackendReport> {
  const candidates = options.candidates ?? defaultCandidates();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const runs = options.runs ?? DEFAULT_RUNS;
  if (candidates.length === 0) {
    throw new Error('Backend selection: the candidate list is empty; name at least one of ' + ALL_BACKENDS.join(', '));
  }

  const timings: BackendTiming[] = [];
  let bestMs = Number.POSITIVE_INFINITY;
  for (const name of candidates) {
    const timing = await timeBackend(name, budgetMs, runs, bestMs);
    timings.push(timing);
    bestMs = Math.min(bestMs, timing.msPerFrame ?? Number.POSITIVE_INFINITY);
  }

  const working = timings.filter((timing) => timing.msPerFrame !== null);
  if (working.length === 0) {
    const reasons = timings.map((timing) => `${timing.name}: ${timing.error ?? 'unknown error'}`).join('; ');
    throw new Error(`Backend selection: no TF.js backend could run the probe (${reasons})`);
  }

  // Stable sort keeps the candidate order among equal timings.
  const fastest = [...working].sort((a, b) => (a.msPerFrame as number) - (b.msPerFrame as number))[0];
  await activateBackend(fastest.name);
  return { name: fastest.name, timings };
}

/** Activates one backend without measuring, for callers that already chose one. */
export async function useBackend(name: BackendName): Promise<BackendReport> {
  const timing = await timeBackend(name, 0, 1, Number.POSITIVE_INFINITY);
  if (timing.msPerFrame === null) {
    throw new Error(`Backend ${name} could not start: ${timing.error ?? 'unknown error'}`);
  }
  return { name, timings: [timing] };
}

/** Returns every backend that can exist here: the native `tensorflow` backend only in Node. */
function defaultCandidates(): BackendName[] {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  return isNode ? ALL_BACKENDS : ALL_BACKENDS.filter((name) => name !== 'tensorflow');
}

async function activateBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new Error(`Backend ${name} failed to initialise`);
  }
  await tf.ready();
}

async function registerOptionalBackend(name: BackendName): Promise<void> {
  if (name !== 'webgpu' || tf.findBackendFactory('webgpu')) {
    return;
  }
  const gpu = (globalThis.navigator as Navigator & { gpu?: unknown } | undefined)?.gpu;
  if (!gpu) {
    throw new Error('WebGPU is not available here (navigator.gpu is missing)');
  }
  await import('@tensorflow/tfjs-backend-webgpu');
}

async function timeBackend(name: BackendName, budgetMs: number, runs: number, bestMs: number): Promise<BackendTiming> {
  try {
    await registerOptionalBackend(name);
    if (!tf.findBackendFactory(name)) {
      return { name, msPerFrame: null, error: 'not registered in this environment' };
    }
    if (name === 'webgl') {
      // TF.js keeps every freed WebGL texture for reuse unless this is set, and MTCNN's batch sizes
      // change from frame to frame, so without it GPU memory grows for as long as a video plays.
      tf.env().set('WEBGL_DELETE_TEXTURE_THRESHOLD', WEBGL_TEXTURE_CACHE_BYTES);
    }
    const started = await tf.setBackend(name);
    if (!started) {
      return { name, msPerFrame: null, error: 'failed to initialise' };
    }
    await tf.ready();
    return { name, msPerFrame: await measureProbe(budgetMs, runs, bestMs) };
  } catch (error) {
    return { name, msPerFrame: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs the probe once to warm up (shader compilation, weight upload), then times up to `runs` runs.
 * A backend whose warm-up run already takes `HOPELESS_FACTOR` times the best median so far is not
 * timed further, so a slow CPU or software-GPU backend costs one probe run at start-up.
 */
async function measureProbe(budgetMs: number, runs: number, bestMs: number): Promise<number> {
  const inputs = tf.tidy(() => ({
    frame: tf.randomUniform([1, 96, 160, 3]) as tf.Tensor4D,
    frameFilter1: tf.randomNormal([3, 3, 3, 10], 0, 0.1) as tf.Tensor4D,
    frameFilter2: tf.randomNormal([3, 3, 10, 16], 0, 0.1) as tf.Tensor4D,
    faces: tf.randomUniform([4, 128, 128, 1]) as tf.Tensor4D,
    faceFilter1: tf.randomNormal([5, 5, 1, 32], 0, 0.1) as tf.Tensor4D,
    faceFilter2: tf.randomNormal([5, 5, 32, 64], 0, 0.1) as tf.Tensor4D,
  }));

  try {
    const warmupStart = performance.now();
    await runProbe(inputs);
    const warmupMs = performance.now() - warmupStart;
    if (warmupMs > HOPELESS_FACTOR * bestMs) {
      return warmupMs;
    }

    const durations: number[] = [];
    const deadline = performance.now() + budgetMs;
    while (durations.length < runs && performance.now() < deadline) {
      const start = performance.now();
      await runProbe(inputs);
      durations.push(performance.now() - start);
    }
    if (durations.length === 0) {
      return warmupMs;
    }
    durations.sort((a, b) => a - b);
    return durations[Math.floor(durations.length / 2)];
  } finally {
    tf.dispose(inputs);
  }
}

interface ProbeInputs {
  frame: tf.Tensor4D;
  frameFilter1: tf.Tensor4D;
  frameFilter2: tf.Tensor4D;
  faces: tf.Tensor4D;
  faceFilter1: tf.Tensor4D;
  faceFilter2: tf.Tensor4D;
}

async function runProbe(inputs: ProbeInputs): Promise<void> {
  const outputs = tf.tidy(() => {
    const frame = tf.maxPool(tf.relu(tf.conv2d(inputs.frame, inputs.frameFilter1, 1, 'valid')), 2, 2, 'same');
    const frameOut = tf.conv2d(frame, inputs.frameFilter2, 1, 'valid').mean();
    const faces = tf.maxPool(tf.relu(tf.conv2d(inputs.faces, inputs.faceFilter1, 1, 'valid')), 3, 3, 'valid');
    const facesOut = tf.conv2d(faces, inputs.faceFilter2, 1, 'valid').mean();
    return tf.stack([frameOut, facesOut]);
  });
  try {
    // Reading the result waits for asynchronous backends (WebGPU, WebGL) to finish the work.
    await outputs.data();
  } finally {
    outputs.dispose();
  }
}
