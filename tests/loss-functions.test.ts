import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { binaryCrossEntropy, contrastiveLoss, lossFunctionFor, sparseCategoricalCrossEntropy, tripletSemiHardLoss } from '../training/losses';

/** Agreement with the hand-computed values below (float32 arithmetic). */
const LOSS_TOLERANCE = 1e-5;

async function value(loss: tf.Scalar): Promise<number> {
  const [result] = await loss.data();
  loss.dispose();
  return result;
}

/** Embeddings of points on a line, so distances are differences of the numbers. */
function onLine(positions: number[]): tf.Tensor2D {
  return tf.tensor2d(positions.map((x) => [x, 0]));
}

describe('losses', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('binary cross-entropy by hand', async () => {
    // -(ln 0.8 + ln 0.6) / 2
    const loss = await value(binaryCrossEntropy(tf.tensor1d([1, 0]), tf.tensor2d([[0.8], [0.4]])));
    expect(loss).toBeCloseTo((-Math.log(0.8) - Math.log(0.6)) / 2, 5);
  });

  it('binary cross-entropy clips certainties', async () => {
    const loss = await value(binaryCrossEntropy(tf.tensor1d([0]), tf.tensor1d([1])));
    expect(Number.isFinite(loss)).toBe(true);
    // 1 - 1e-7 rounds to 1 - 1.19e-7 in float32.
    expect(Math.abs(loss + Math.log(1 - Math.fround(1 - 1e-7)))).toBeLessThan(LOSS_TOLERANCE * 10);
  });

  it('binary cross-entropy rejects length mismatch', () => {
    expect(() => binaryCrossEntropy(tf.tensor1d([1, 0]), tf.tensor1d([0.5]))).toThrow(/2 labels for 1 predictions/);
  });

  it('sparse categorical cross-entropy by hand', async () => {
    const probabilities = tf.tensor2d([
      [0.3, 0.7],
      [0.9, 0.1],
      [0.5, 0.5],
    ]);
    const loss = await value(sparseCategoricalCrossEntropy(tf.tensor1d([1, 0, 1]), probabilities));
    expect(Math.abs(loss - (-Math.log(0.7) - Math.log(0.9) - Math.log(0.5)) / 3)).toBeLessThan(LOSS_TOLERANCE);
  });

  it('contrastive by hand', async () => {
    // Pairs: (0,1) same, d^2 = 0.36; (0,2) different, d = 0.5, (1 - 0.5)^2 = 0.25;
    // (1,2) different, d = sqrt(0.61), (1 - d)^2.
    const embeddings = tf.tensor2d([
      [0, 0],
      [0.6, 0],
      [0, 0.5],
    ]);
    const expected = (0.36 + 0.25 + (1 - Math.sqrt(0.61)) ** 2) / 3;
    const loss = await value(contrastiveLoss(tf.tensor1d([0, 0, 1]), embeddings, { margin: 1 }));
    expect(Math.abs(loss - expected)).toBeLessThan(LOSS_TOLERANCE);
  });

  it('contrastive with one class only', async () => {
    const embeddings = tf.tensor2d([
      [0, 0],
      [0.3, 0.4],
    ]);
    const loss = await value(contrastiveLoss(tf.tensor1d([1, 1]), embeddings));
    expect(Math.abs(loss - 0.25)).toBeLessThan(LOSS_TOLERANCE);
  });

  it('contrastive ignores pairs beyond the margin', async () => {
    const loss = await value(contrastiveLoss(tf.tensor1d([0, 1]), onLine([0, 1.5]), { margin: 1 }));
    expect(loss).toBe(0);
  });

  it('triplet semi-hard, real anchors', async () => {
    // Reals at 0 and 0.2, fakes at 0.5 and 1.5, margin 1.
    // (0 -> 0.2): closest negative beyond 0.2 is 0.5 away: 1 + 0.2 - 0.5 = 0.7.
    // (0.2 -> 0): negatives 0.3 and 1.3 away, semi-hard 0.3: 1 + 0.2 - 0.3 = 0.9.
    const loss = await value(tripletSemiHardLoss(tf.tensor1d([0, 0, 1, 1]), onLine([0, 0.2, 0.5, 1.5]), { margin: 1 }));
    expect(Math.abs(loss - 0.8)).toBeLessThan(LOSS_TOLERANCE);
  });

  it('triplet semi-hard, anchors of both classes', async () => {
    // Adds (0.5 -> 1.5): d = 1, negatives 0.5 and 0.3 away, none semi-hard, so the farthest
    // (0.5) is used: 1 + 1 - 0.5 = 1.5. (1.5 -> 0.5): negatives 1.5 and 1.3, semi-hard 1.3: 0.7.
    const loss = await value(tripletSemiHardLoss(tf.tensor1d([0, 0, 1, 1]), onLine([0, 0.2, 0.5, 1.5]), { margin: 1, anchors: 'both' }));
    expect(Math.abs(loss - (0.7 + 0.9 + 1.5 + 0.7) / 4)).toBeLessThan(LOSS_TOLERANCE);
  });

  it('triplet without semi-hard negative', async () => {
    // Reals at 0 and 1, fake at 0.4: the negative is closer than the positive for both
    // anchors, so each pair falls back to its farthest negative: 1 + 1 - 0.4 and 1 + 1 - 0.6.
    const loss = await value(tripletSemiHardLoss(tf.tensor1d([0, 0, 1]), onLine([0, 1, 0.4]), { margin: 1 }));
    expect(Math.abs(loss - 1.5)).toBeLessThan(LOSS_TOLERANCE);
  });

  it('triplet with one class only', async () => {
    const loss = await value(tripletSemiHardLoss(tf.tensor1d([0, 0, 0]), onLine([0, 0.5, 1])));
    expect(loss).toBe(0);
  });

  it('triplet without a positive pair', async () => {
    const loss = await value(tripletSemiHardLoss(tf.tensor1d([0, 1, 1]), onLine([0, 0.5, 1])));
    expect(loss).toBe(0);
  });

  it('triplet margin option', async () => {
    // Same batch as the real-anchor case with margin 0.2: 0.2 + 0.2 - 0.5 < 0, 0.2 + 0.2 - 0.3 = 0.1.
    const loss = await value(tripletSemiHardLoss(tf.tensor1d([0, 0, 1, 1]), onLine([0, 0.2, 0.5, 1.5]), { margin: 0.2 }));
    expect(Math.abs(loss - 0.05)).toBeLessThan(LOSS_TOLERANCE);
  });

  for (const name of ['bce', 'sparse-cce', 'triplet', 'contrastive'] as const) {
    it(`${name} is differentiable and leak-free`, async () => {
      const initial = name === 'bce' ? [[0.1], [-0.3], [0.2], [0.4]] : name === 'sparse-cce' ? [[0.1, 0.2], [-0.3, 0.5], [0.2, 0], [0.4, -0.1]] : [[0, 0.1], [0.2, 0], [0.5, 0.3], [1, 0.2]];
      const parameters = tf.variable(tf.tensor2d(initial));
      const labels = tf.tensor1d([0, 0, 1, 1]);
      const lossFunction = lossFunctionFor(name);
      const toOutputs = (): tf.Tensor => (name === 'bce' ? tf.sigmoid(parameters) : name === 'sparse-cce' ? tf.softmax(parameters) : parameters);
      const before = tf.memory().numTensors;

      const { value: loss, grads } = tf.variableGrads(() => lossFunction(labels, toOutputs()), [parameters]);
      const gradient = await grads[parameters.name].data();
      tf.dispose([loss, grads[parameters.name]]);

      expect(tf.memory().numTensors).toBe(before);
      expect(gradient.every(Number.isFinite)).toBe(true);
      expect(gradient.some((g) => g !== 0)).toBe(true);
      tf.dispose([parameters, labels]);
    });
  }
});
