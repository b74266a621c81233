import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend, useBackend } from '../src/engine/backend';

describe('selectBackend', () => {
  it('picks the fastest working backend', async () => {
    const report = await selectBackend({ candidates: ['webgpu', 'wasm', 'cpu'] });

    const working = report.timings.filter((timing) => timing.msPerFrame !== null);
    const fastest = Math.min(...working.map((timing) => timing.msPerFrame as number));
    expect(report.timings.map((timing) => timing.name)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(report.timings.find((timing) => timing.name === report.name)?.msPerFrame).toBe(fastest);
    expect(tf.getBackend()).toBe(report.name);
  });

  it('reports why a backend is missing', async () => {
    const report = await selectBackend({ candidates: ['webgpu', 'wasm'] });
    const webgpu = report.timings.find((timing) => timing.name === 'webgpu');
    // Node has no navigator.gpu, so WebGPU must fail with a reason instead of being picked.
    expect(webgpu?.msPerFrame).toBeNull();
    expect(webgpu?.error).toMatch(/WebGPU/);
    expect(report.name).toBe('wasm');
  });

  it('leaks no tensors', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    await selectBackend({ candidates: ['wasm'] });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects when no backend works', async () => {
    await expect(selectBackend({ candidates: ['webgl'] })).rejects.toThrow(/no TF.js backend could run/);
  });

  it('rejects an empty candidate list', async () => {
    await expect(selectBackend({ candidates: [] })).rejects.toThrow(/candidate list is empty/);
  });
});
