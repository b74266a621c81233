/**
 * Stand-in for `src/engine/engine.ts`, used only by `vite.fake-engine.config.ts`. It lets
 * tests check how the extension shows a trained model's verdict before a trained
 * classifier exists, and debug the plumbing without the engine's cost. It reports one
 * face in the middle of any frame that is not uniform, with a fixed fake probability.
 */
import type { ModelCard } from '../../src/engine/classifier';
import type { BackendName, RgbaImage, ScoredFace } from '../../src/engine/types';

/** Fake probability of every face; above the default alert threshold of 0.7. */
export const FAKE_ENGINE_PROBABILITY = 0.9;
/** Accuracy written into the stand-in model card, so the popup's caveat can be checked. */
export const FAKE_ENGINE_ACCURACY = 0.875;

export interface Engine {
  backend: { name: BackendName; timings: { name: BackendName; msPerFrame: number | null; error?: string }[] };
  model: ModelCard;
  analyzeFrame(image: RgbaImage): Promise<ScoredFace[]>;
  dispose(): void;
}

const STAND_IN_CARD: ModelCard = {
  name: 'stand-in',
  version: '0.0.0',
  loss: 'bce',
  createdAt: '2026-01-01T00:00:00Z',
  datasets: [{ name: 'test fixtures', source: 'tests/e2e', faces: { train: 0, validation: 0 }, methods: [] }],
  split: { unit: 'none', validationFraction: 0, seed: 0 },
  metrics: { split: 'validation', auc: 0.9, accuracy: FAKE_ENGINE_ACCURACY, logLoss: 0.3, faces: 0, bestEpoch: 0, epochs: 0 },
  input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face' },
  calibration: null,
  engineVersion: 'stand-in',
  trained: true,
};

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
    model: STAND_IN_CARD,
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
          fakeProbability: FAKE_ENGINE_PROBABILITY,
        },
      ];
    },
    dispose(): void {},
  };
}
