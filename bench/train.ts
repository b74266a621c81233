/**
 * Training throughput of the AlexNet (BCE head, batch 32, Adam) on every TF.js backend
 * available here, beside PyTorch on the same network and batch when `python3 -c "import torch"`
 * works. Each backend runs in its own child process, because TF.js keeps one engine and one
 * kernel registry per process.
 *
 *   npm run bench:train -- [--steps 10] [--batch-size 32] [--backends tensorflow,wasm,wasm-stock]
 *
 * `wasm` has this project's gradient kernels; `wasm-stock` has only the missing
 * Conv2DBackpropFilter, with tfjs-backend-wasm's own Conv2DBackpropInput, MaxPoolGrad and Sum.
 * `cpu` is available on request; it takes minutes per step at batch 32.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Command } from 'commander';

type BenchBackend = 'tensorflow' | 'wasm' | 'wasm-stock' | 'cpu';

interface Measurement {
  backend: string;
  samplesPerSecond: number | null;
  note?: string;
}

const WARMUP_STEPS = 2;

const program = new Command()
  .name('bench-train')
  .option('--steps <n>', 'timed training steps per backend, after 2 warm-up steps', '10')
  .option('--batch-size <n>', 'faces per step', '32')
  .option('--backends <list>', 'comma-separated: tensorflow, wasm, wasm-stock, cpu', 'tensorflow,wasm,wasm-stock')
  .option('--child <backend>', 'internal: measure one backend in this process and print JSON');

async function measureInProcess(backend: BenchBackend, steps: number, batchSize: number): Promise<Measurement> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  const { activateTrainingBackend } = await import('../training/training-backend');
  const { registerConv2dBackpropFilterWasm } = await import('../training/kernels/conv2d-backprop-filter-wasm');
  const { buildAlexNet } = await import('../src/engine/classifier/alexnet');
  const { binaryCrossEntropy } = await import('../training/losses');

  if (backend === 'wasm-stock') {
    registerConv2dBackpropFilterWasm();
    await tf.setBackend('wasm');
  } else {
    await activateTrainingBackend(backend);
  }
  const model = buildAlexNet({ head: 'bce', dropout: 0.5, seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const images = tf.randomUniform([batchSize, 128, 128, 1], 0, 1, 'float32', 2);
  const labels = tf.tensor1d(Array.from({ length: batchSize }, (_, i) => i % 2));
  const step = (): void => {
    const loss = optimizer.minimize(() => binaryCrossEntropy(labels, model.apply(images, { training: true }) as import('@tensorflow/tfjs').Tensor), true);
    loss?.dataSync();
    loss?.dispose();
  };

  for (let i = 0; i < WARMUP_STEPS; i++) step();
  const started = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - started) / 1000;
  return { backend: tf.getBackend() === backend ? backend : `${backend} (${tf.getBackend()})`, samplesPerSecond: (steps * batchSize) / seconds };
}

function measureInChild(backend: BenchBackend, steps: number, batchSize: number): Measurement {
  const result = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--child', backend, '--steps', String(steps), '--batch-size', String(batchSize)], {
    encoding: 'utf8',
  });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Measurement;
  } catch {
    const reason = (result.stderr.trim().split('\n').find((text) => /Error|Cannot/.test(text)) ?? `exit code ${result.status}`).slice(0, 160);
    return { backend, samplesPerSecond: null, note: reason };
  }
}

/** Measures PyTorch on the same network, batch and optimiser; the rate is null when torch cannot be imported. */
function measurePyTorch(steps: number, batchSize: number): Measurement {
  const script = `
import json, time, torch, torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(3, 3),
    nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(3, 3),
    nn.Conv2d(64, 128, 5), nn.ReLU(), nn.MaxPool2d(3, 3),
    nn.Flatten(), nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 1))
opt = torch.optim.Adam(net.parameters(), 1e-3)
x = torch.rand(${batchSize}, 1, 128, 128); y = (torch.arange(${batchSize}) % 2).float().unsqueeze(1)
loss_fn = nn.BCEWithLogitsLoss()
def step():
    opt.zero_grad(); loss = loss_fn(net(x), y); loss.backward(); opt.step()
for _ in range(${WARMUP_STEPS}): step()
start = time.perf_counter()
for _ in range(${steps}): step()
print(json.dumps({"backend": "pytorch " + torch.__version__ + " (" + str(torch.get_num_threads()) + " threads)", "samplesPerSecond": ${steps} * ${batchSize} / (time.perf_counter() - start)}))
`;
  // Debian's python3-torch installs for /usr/bin/python3, which a pyenv python3 earlier on the PATH hides.
  const python = ['python3', '/usr/bin/python3'].find((candidate) => spawnSync(candidate, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  if (python === undefined) {
    return { backend: 'pytorch', samplesPerSecond: null, note: 'neither python3 nor /usr/bin/python3 can import torch (apt-get install python3-torch to compare)' };
  }
  const result = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  try {
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Measurement;
  } catch {
    return { backend: 'pytorch', samplesPerSecond: null, note: result.stderr.trim().split('\n').pop() };
  }
}

function describeMachine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(1)).join(' ');
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} logical cores, load average ${load}; Node ${process.version}, ${os.type()} ${os.release()}`;
}

async function main(): Promise<void> {
  const options = program.parse().opts<{ steps: string; batchSize: string; backends: string; child?: BenchBackend }>();
  const steps = Number(options.steps);
  const batchSize = Number(options.batchSize);
  if (options.child) {
    console.log(JSON.stringify(await measureInProcess(options.child, steps, batchSize)));
    return;
  }

  console.log(`command: npm run bench:train -- --steps ${steps} --batch-size ${batchSize} --backends ${options.backends}`);
  console.log(`machine: ${describeMachine()}`);
  console.log(`date: ${new Date().toISOString()}`);
  const backends = options.backends.split(',').map((name) => name.trim()) as BenchBackend[];
  const results = backends.map((backend) => measureInChild(backend, steps, batchSize));
  const torch = measurePyTorch(steps, batchSize);
  results.push(torch);

  console.log('\n| backend | samples/s | vs PyTorch | note |\n| --- | ---: | ---: | --- |');
  for (const result of results) {
    const rate = result.samplesPerSecond === null ? 'n/a' : result.samplesPerSecond.toFixed(1);
    const ratio = result.samplesPerSecond !== null && torch.samplesPerSecond ? `${(result.samplesPerSecond / torch.samplesPerSecond).toFixed(2)}x` : 'n/a';
    console.log(`| ${result.backend} | ${rate} | ${ratio} | ${result.note ?? ''} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
