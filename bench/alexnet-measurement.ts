import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { alignFace, ALIGNED_FACE_SIZE, type GreyImage } from '../src/engine/align';
import { buildAlexNet, loadClassifier, type Classifier } from '../src/engine/classifier';
import { facesToTensor } from '../src/engine/engine';
import { createMtcnn } from '../src/engine/mtcnn';
import type { BenchContext, Measurement, MeasurementRow } from './engine';

/** Batch sizes timed: 1 is the extension's per-frame case, 8 shows what batching gains. */
const BATCH_SIZES = [1, 8];
const WARM_UP_RUNS = 3;
const TIMED_RUNS = 30;
/** PyTorch inference of the same network, measured earlier on a 2-core machine of the development kind (version not recorded). */
const PYTORCH_QUOTED_MS_PER_FACE = 2.3;
/** Debian's python3-torch installs for the system interpreter, not for a pyenv one earlier on the PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Times the AlexNet classifier per aligned face on each backend, on faces that MTCNN found in the
 * benchmark frames. Uses the shipped classifier when one is installed, else random weights of the
 * same architecture (the cost is the same). PyTorch on the same network is the anchor.
 */
export const measureAlexNet: Measurement = async (context) => {
  const faces = await alignBenchFaces(context);
  if (faces.length === 0) {
    return { rows: [], notes: ['AlexNet timing skipped: MTCNN found no face in the benchmark frames.'] };
  }

  const rows: MeasurementRow[] = [];
  const notes: string[] = [];
  for (const backend of context.backends) {
    if (!(await tf.setBackend(backend))) {
      notes.push(`AlexNet on ${backend}: the backend failed to start, so it was skipped.`);
      continue;
    }
    await tf.ready();
    const { predict, dispose, source } = await openClassifier(context);
    try {
      for (const batchSize of BATCH_SIZES) {
        rows.push(await timeBatches(predict, faces, batchSize, backend, source));
      }
    } finally {
      dispose();
    }
  }

  rows.push(...measurePyTorch());
  return { rows, notes };
};

async function alignBenchFaces(context: BenchContext): Promise<GreyImage[]> {
  await tf.setBackend('wasm');
  const mtcnn = await createMtcnn(context.readFile);
  try {
    const faces: GreyImage[] = [];
    for (const frame of context.frames) {
      for (const face of await mtcnn.detect(frame, { minFaceSize: 40 })) {
        faces.push(alignFace(frame, face.landmarks, ALIGNED_FACE_SIZE));
      }
    }
    return faces;
  } finally {
    mtcnn.dispose();
  }
}

interface OpenedClassifier {
  predict: (batch: tf.Tensor4D) => Promise<unknown>;
  dispose: () => void;
  source: string;
}

async function openClassifier(context: BenchContext): Promise<OpenedClassifier> {
  const shipped: Classifier | null = await loadClassifier(context.readFile, 'classifier');
  if (shipped) {
    return { predict: (batch) => shipped.predict(batch), dispose: () => shipped.dispose(), source: `shipped model ${shipped.card.name}` };
  }
  const model = buildAlexNet({ head: 'bce' });
  return {
    predict: async (batch) => {
      const output = model.predict(batch) as tf.Tensor;
      try {
        return await output.data();
      } finally {
        output.dispose();
      }
    },
    dispose: () => model.dispose(),
    source: 'random weights (no shipped model)',
  };
}

async function timeBatches(predict: OpenedClassifier['predict'], faces: GreyImage[], batchSize: number, backend: string, source: string): Promise<MeasurementRow> {
  const batch = facesToTensor(Array.from({ length: batchSize }, (_, i) => faces[i % faces.length]));
  try {
    for (let run = 0; run < WARM_UP_RUNS; run++) {
      await predict(batch);
    }
    const wallMs: number[] = [];
    const cpuStart = process.cpuUsage();
    for (let run = 0; run < TIMED_RUNS; run++) {
      const start = performance.now();
      await predict(batch);
      wallMs.push((performance.now() - start) / batchSize);
    }
    const cpu = process.cpuUsage(cpuStart);
    wallMs.sort((a, b) => a - b);
    return {
      measurement: `AlexNet (this project), batch ${batchSize}`,
      backend,
      medianMs: wallMs[Math.floor(wallMs.length / 2)],
      meanMs: wallMs.reduce((sum, value) => sum + value, 0) / wallMs.length,
      cpuMs: (cpu.user + cpu.system) / 1000 / (TIMED_RUNS * batchSize),
      unit: 'face',
      note: source,
    };
  } finally {
    batch.dispose();
  }
}

const PYTORCH_SCRIPT = `
import json, os, time, torch, torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(3),
    nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(3),
    nn.Conv2d(64, 128, 5), nn.ReLU(), nn.MaxPool2d(3),
    nn.Flatten(), nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, 1), nn.Sigmoid()).eval()
x = torch.rand(1, 1, 128, 128)
times = []
with torch.no_grad():
    for _ in range(${WARM_UP_RUNS}):
        net(x)
    for _ in range(${TIMED_RUNS}):
        start = time.perf_counter(); net(x); times.append((time.perf_counter() - start) * 1000)
times.sort()
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "median": times[len(times) // 2], "mean": sum(times) / len(times)}))
`;

/** Runs the same network in PyTorch when the system Python can import it, and always adds the quoted figure. */
function measurePyTorch(): MeasurementRow[] {
  const rows: MeasurementRow[] = [
    { measurement: 'AlexNet (PyTorch, quoted)', backend: 'pytorch cpu', medianMs: PYTORCH_QUOTED_MS_PER_FACE, meanMs: Number.NaN, cpuMs: Number.NaN, unit: 'face', note: 'measured earlier, not run by this script' },
  ];
  const result = spawnSync(SYSTEM_PYTHON, ['-c', PYTORCH_SCRIPT], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    return rows;
  }
  const measured = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { version: string; threads: number; median: number; mean: number };
  rows.unshift({
    measurement: 'AlexNet (PyTorch), batch 1',
    backend: `pytorch ${measured.version} cpu, ${measured.threads} threads`,
    medianMs: measured.median,
    meanMs: measured.mean,
    cpuMs: Number.NaN,
    unit: 'face',
    note: 'same network, run by this script',
  });
  return rows;
}
