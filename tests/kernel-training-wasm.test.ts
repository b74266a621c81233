import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../training/kernels/register-training-kernels';
import { SeededRandom } from '../training/seeded-random';

/** Largest absolute difference allowed between the WASM kernels and TF.js's CPU kernels (float32 sums of up to ~2,000 products). */
const KERNEL_TOLERANCE = 1e-3;

type Shape4 = [number, number, number, number];

function randomValues(shape: number[], seed: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1));
}

/** Runs `build` on one backend with fresh tensors from `inputs` and returns the result's values. */
async function runOn(backend: 'cpu' | 'wasm', build: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const result = build();
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: number;
  pad: 'valid' | 'same';
}

const CONV_CASES: ConvCase[] = [
  { name: 'AlexNet conv1 shape, small batch', x: [2, 20, 20, 1], filter: [5, 5, 1, 4], strides: 1, pad: 'valid' },
  { name: 'many channels', x: [3, 12, 11, 6], filter: [5, 5, 6, 7], strides: 1, pad: 'valid' },
  { name: 'same padding', x: [2, 9, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: 'stride 2 same', x: [2, 10, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: 'stride 3 valid, uncovered border', x: [1, 11, 11, 2], filter: [3, 3, 2, 3], strides: 3, pad: 'valid' },
];

function outputShape(c: ConvCase): Shape4 {
  const size = (input: number, kernel: number): number =>
    c.pad === 'same' ? Math.ceil(input / c.strides) : Math.floor((input - kernel) / c.strides) + 1;
  return [c.x[0], size(c.x[1], c.filter[0]), size(c.x[2], c.filter[1]), c.filter[3]];
}

describe('WASM training kernels', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    await tf.ready();
  });

  for (const c of CONV_CASES) {
    it(`Conv2DBackpropFilter matches CPU: ${c.name}`, async () => {
      const xValues = randomValues(c.x, 1);
      const dyShape = outputShape(c);
      const dyValues = randomValues(dyShape, 2);
      const build = (): tf.Tensor =>
        tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x: tf.tensor4d(xValues, c.x), dy: tf.tensor4d(dyValues, dyShape) },
          { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
      const expected = await runOn('cpu', build);
      const actual = await runOn('wasm', build);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(KERNEL_TOLERANCE);
    });

    it(`Conv2DBackpropInput matches CPU: ${c.name}`, async () => {
      const filterValues = randomValues(c.filter, 3);
      const dyShape = outputShape(c);
      const dyValues = randomValues(dyShape, 4);
      const build = (): tf.Tensor =>
        tf.engine().runKernel(
          'Conv2DBackpropInput',
          { dy: tf.tensor4d(dyValues, dyShape), filter: tf.tensor4d(filterValues, c.filter) },
          { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
      const expected = await runOn('cpu', build);
      const actual = await runOn('wasm', build);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(KERNEL_TOLERANCE);
    });
  }

  const POOL_CASES: { name: string; x: Shape4; size: number; strides: number; pad: 'valid' | 'same' }[] = [
    { name: 'AlexNet pooling 3/3 valid', x: [2, 14, 13, 3], size: 3, strides: 3, pad: 'valid' },
    { name: 'overlapping 3/2 same', x: [2, 9, 8, 2], size: 3, strides: 2, pad: 'same' },
  ];
  for (const c of POOL_CASES) {
    it(`MaxPoolGrad matches CPU: ${c.name}`, async () => {
      const xValues = randomValues(c.x, 5);
      const build = (): tf.Tensor =>
        tf.tidy(() => {
          const x = tf.tensor4d(xValues, c.x);
          return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, c.size, c.strides, c.pad), tf.range(1, 1 + outputCount(c)).reshape(poolOutputShape(c)))))(x);
        });
      const expected = await runOn('cpu', build);
      const actual = await runOn('wasm', build);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(KERNEL_TOLERANCE);
    });
  }

  it('MaxPoolGrad routes ties to the first maximum', async () => {
    // Every window of the all-zero input (ReLU output of a dead unit) ties; the CPU kernel
    // sends the whole gradient to the first position of each window.
    const build = (): tf.Tensor => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(tf.zeros([1, 4, 4, 1])));
    const expected = await runOn('cpu', build);
    const actual = await runOn('wasm', build);
    expect(Array.from(actual)).toEqual(Array.from(expected));
    expect(actual.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('Sum over leading axes matches CPU', async () => {
    const values = randomValues([4, 6, 5, 3], 6);
    for (const keepDims of [false, true]) {
      const build = (): tf.Tensor => tf.sum(tf.tensor4d(values, [4, 6, 5, 3]), [0, 1, 2], keepDims);
      const expected = await runOn('cpu', build);
      const actual = await runOn('wasm', build);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(KERNEL_TOLERANCE);
    }
  });

  it('Sum over other axes still matches CPU', async () => {
    const values = randomValues([4, 6, 5], 7);
    for (const axis of [[1], [2], [0, 2], [0, 1, 2]]) {
      const build = (): tf.Tensor => tf.sum(tf.tensor3d(values, [4, 6, 5]), axis);
      const expected = await runOn('cpu', build);
      const actual = await runOn('wasm', build);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(KERNEL_TOLERANCE);
    }
  });

  it('conv net gradients match CPU end to end', async () => {
    const xValues = randomValues([3, 16, 16, 1], 8);
    const w1 = randomValues([5, 5, 1, 4], 9);
    const w2 = randomValues([3, 3, 4, 6], 10);
    const build = (): tf.Tensor =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, [3, 16, 16, 1]);
        const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
          const hidden = tf.maxPool(tf.relu(tf.conv2d(x, a as tf.Tensor4D, 1, 'valid')), 3, 3, 'valid');
          return tf.sum(tf.square(tf.relu(tf.conv2d(hidden, b as tf.Tensor4D, 1, 'valid'))));
        };
        const [ga, gb] = tf.grads(loss)([tf.tensor4d(w1, [5, 5, 1, 4]), tf.tensor4d(w2, [3, 3, 4, 6])]);
        return tf.concat([ga.flatten(), gb.flatten()]);
      });
    const expected = await runOn('cpu', build);
    const actual = await runOn('wasm', build);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(KERNEL_TOLERANCE * 10);
  });

  it('kernels leak no tensors', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomUniform([2, 12, 12, 2]) as tf.Tensor4D;
    const filter = tf.randomUniform([5, 5, 2, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid'), 2, 2, 'valid')))([x, filter]);
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, filter]);
  });

  it('registration is idempotent', () => {
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});

function poolOutputShape(c: { x: Shape4; size: number; strides: number; pad: 'valid' | 'same' }): Shape4 {
  const size = (input: number): number => (c.pad === 'same' ? Math.ceil(input / c.strides) : Math.floor((input - c.size) / c.strides) + 1);
  return [c.x[0], size(c.x[1]), size(c.x[2]), c.x[3]];
}

function outputCount(c: { x: Shape4; size: number; strides: number; pad: 'valid' | 'same' }): number {
  return poolOutputShape(c).reduce((a, b) => a * b, 1);
}
