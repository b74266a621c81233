import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../src/engine/classifier';
import { formatModel } from '../src/node/scan-report';

const card: ModelCard = {
  name: 'alexnet-bce',
  version: '1',
  loss: 'bce',
  createdAt: new Date(0).toISOString(),
  datasets: [{ name: 'DFDC', source: 'x', faces: { train: 1, validation: 1 }, methods: [] }],
  split: { unit: 'identity group', validationFraction: 0.1, seed: 1 },
  metrics: { split: 'test', auc: 0.7123, accuracy: 0.65, logLoss: 0.6, faces: 300, bestEpoch: 1, epochs: 1 },
  input: { width: 128, height: 128, channels: 1, range: '0..1 grey, aligned face' },
  calibration: null,
  engineVersion: '1.0.0',
  trained: true,
};

describe('scan model line', () => {
  it('states face AUC alone', () => {
    expect(formatModel(card)).toBe('Model: alexnet-bce 1 (bce loss, trained on DFDC; test AUC 0.712 per face, accuracy 65.0 % on 300 faces)');
  });

  it('adds video AUC when measured', () => {
    const withVideo = { ...card, metrics: { ...card.metrics!, videoAuc: 0.75, videos: 40 } };
    expect(formatModel(withVideo)).toContain('test AUC 0.712 per face and 0.750 per video (40 videos or images)');
  });
});
