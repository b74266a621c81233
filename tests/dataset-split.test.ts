import { describe, expect, it } from 'vitest';
import { assignSplits, groupByIdentity, type SplittableItem } from '../training/data/split';

function item(identities: string[], extra: Partial<SplittableItem> = {}): SplittableItem {
  return { identities, weight: 1, hasOfficialTestSplit: false, ...extra };
}

describe('identity grouping', () => {
  it('joins chains of shared identities', () => {
    const groups = groupByIdentity([item(['a']), item(['b']), item(['a', 'b']), item(['c']), item(['c', 'd']), item(['e'])]);
    const sorted = groups.map((members) => [...members].sort()).sort((x, y) => x[0] - y[0]);
    expect(sorted).toEqual([[0, 1, 2], [3, 4], [5]]);
  });
});

describe('split assignment', () => {
  // 40 FaceForensics++-style pairs: originals TTT and SSS plus fakes TTT_SSS and SSS_TTT.
  const pairs = Array.from({ length: 40 }, (_, pair) => {
    const target = `yt:${pair * 2}`;
    const source = `yt:${pair * 2 + 1}`;
    return [item([target]), item([source]), item([target, source]), item([source, target])];
  }).flat();

  it('never puts one identity on two sides', () => {
    const splits = assignSplits(pairs, { train: 0.7, validation: 0.15, test: 0.15 }, 7);
    const sideOf = new Map<string, string>();
    pairs.forEach((entry, index) => {
      for (const identity of entry.identities) {
        const side = sideOf.get(identity);
        if (side !== undefined) expect(side, `identity ${identity}`).toBe(splits[index]);
        sideOf.set(identity, splits[index]);
      }
    });
  });

  it('fills splits close to their fractions', () => {
    const splits = assignSplits(pairs, { train: 0.7, validation: 0.15, test: 0.15 }, 7);
    const count = (name: string): number => splits.filter((split) => split === name).length;
    // 160 items in groups of 4: each split is within one group of its target.
    expect(Math.abs(count('train') - 112)).toBeLessThanOrEqual(4);
    expect(Math.abs(count('validation') - 24)).toBeLessThanOrEqual(4);
    expect(Math.abs(count('test') - 24)).toBeLessThanOrEqual(4);
  });

  it('is reproducible per seed and varies across seeds', () => {
    const fractions = { train: 0.6, validation: 0.2, test: 0.2 };
    expect(assignSplits(pairs, fractions, 1)).toEqual(assignSplits(pairs, fractions, 1));
    expect(assignSplits(pairs, fractions, 1)).not.toEqual(assignSplits(pairs, fractions, 2));
  });

  it('keeps official test items and draws no random test from their dataset', () => {
    const items = [
      ...Array.from({ length: 20 }, (_, i) => item([`celeb:${i}`], { hasOfficialTestSplit: true })),
      item(['celeb:0'], { hasOfficialTestSplit: true, officialSplit: 'test' }),
      item(['celeb:99'], { hasOfficialTestSplit: true, officialSplit: 'test' }),
    ];
    const splits = assignSplits(items, { train: 0.5, validation: 0.25, test: 0.25 }, 3);
    expect(splits[20]).toBe('test');
    expect(splits[21]).toBe('test');
    expect(splits.slice(0, 20).filter((split) => split === 'test')).toHaveLength(0);
    expect(splits.slice(0, 20).filter((split) => split === 'validation').length).toBeGreaterThan(0);
  });

  it('weights splits by face count', () => {
    const items = [item(['big'], { weight: 70 }), ...Array.from({ length: 30 }, (_, i) => item([`small${i}`]))];
    const splits = assignSplits(items, { train: 0.7, validation: 0.15, test: 0.15 }, 11);
    const weightOf = (name: string): number => items.reduce((sum, entry, index) => sum + (splits[index] === name ? entry.weight : 0), 0);
    expect(weightOf('validation') + weightOf('test')).toBeGreaterThanOrEqual(20);
    expect(weightOf('validation')).toBeGreaterThan(0);
    expect(weightOf('test')).toBeGreaterThan(0);
  });

  it('splits each dataset in proportion', () => {
    // Many one-face crops beside 15 video groups of 100 faces each, as DFDC crops beside FaceForensics++.
    const crops = Array.from({ length: 2000 }, (_, i) => item([`crop${i}`], { dataset: 'crops' }));
    const videos = Array.from({ length: 15 }, (_, i) => item([`video${i}`], { weight: 100, dataset: 'videos' }));
    const items = [...crops, ...videos];
    for (const seed of [1, 2, 3, 4, 5]) {
      const splits = assignSplits(items, { train: 0.8, validation: 0.1, test: 0.1 }, seed);
      const videoWeight = (name: string): number => items.reduce((sum, entry, index) => sum + (entry.dataset === 'videos' && splits[index] === name ? entry.weight : 0), 0);
      expect(videoWeight('test'), `seed ${seed}`).toBeGreaterThanOrEqual(100);
      expect(videoWeight('test'), `seed ${seed}`).toBeLessThanOrEqual(200);
      expect(videoWeight('validation'), `seed ${seed}`).toBeGreaterThanOrEqual(100);
      expect(videoWeight('validation'), `seed ${seed}`).toBeLessThanOrEqual(200);
    }
  });

  it('rejects invalid fractions', () => {
    expect(() => assignSplits(pairs, { train: 0, validation: 0, test: 0 }, 1)).toThrow(/fractions/);
    expect(() => assignSplits(pairs, { train: 1, validation: -0.1, test: 0 }, 1)).toThrow(/fractions/);
  });
});
