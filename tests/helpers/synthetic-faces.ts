import { SeededRandom } from '../../training/seeded-random';
import type { FaceDataset } from '../../training/train-loop';

const FACE_BYTES = 128 * 128;

/** Returns noisy 128x128 grey faces that alternate between a dark real and a bright fake, so a small network separates them quickly. */
export function syntheticFaces(count: number, seed: number): FaceDataset {
  const random = new SeededRandom(seed);
  const images = new Uint8Array(count * FACE_BYTES);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    const base = labels[i] === 1 ? 170 : 70;
    for (let p = 0; p < FACE_BYTES; p++) images[i * FACE_BYTES + p] = base + random.integer(60) - 30;
  }
  return {
    images,
    labels,
    count,
    videoIds: Array.from({ length: count }, (_, i) => `synthetic:${seed}:${i}`),
    methods: Array.from(labels, (label) => (label === 1 ? 'synthetic' : 'real')),
  };
}
