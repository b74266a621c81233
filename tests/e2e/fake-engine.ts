/**
 * Stand-in for `src/engine/engine.ts` used only by `vite.fake-engine.config.ts`, to
 * exercise the extension's plumbing while the engine cannot be built. It reports one
 * face covering the middle of any frame that is not uniform and never a probability.
 */
import type { BackendName, RgbaImage, ScoredFace } from '../../src/engine/types';

export interface Engine {
  backend: { name: BackendName; timings: { name: BackendName; msPerFrame: number | null; error?: string }[] };
  model: null;
  analyzeFrame(image: RgbaImage): Promise<ScoredFace[]>;
  dispose(): void;
}

function isUniform(image: RgbaImage): boolean {
  const first = image.data[0];
  for (let offset = 0; offset < image.data.length; offset += 4 * 101) {
    if (Math.abs(image.data[offset] - first) > 8) return false;
  }
  return true;
}

export async function createEngine(): Promise<Engine> {
  return {
    backend: { name: 'cpu', timings: [{ name: 'cpu', msPerFrame: 1 }] },
    model: null,
    async analyzeFrame(image: RgbaImage): Promise<ScoredFace[]> {
      if (isUniform(image)) return [];
      const size = Math.min(image.width, image.height) / 2;
      const x = image.width / 2 - size / 2;
      const y = image.height / 2 - size / 2;
      return [
        {
          box: { x, y, width: size, height: size },
          landmarks: [[x, y], [x + size, y], [x + size / 2, y + size / 2], [x, y + size], [x + size, y + size]],
          score: 0.99,
          fakeProbability: null,
        },
      ];
    },
    dispose(): void {},
  };
}
