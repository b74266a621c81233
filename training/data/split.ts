/**
 * Splits items into train, validation and test by identity group, never by frame: items that
 * share an identity key (directly or through a chain of fakes) always land in one split.
 */

/** Fields of an item that the splitter reads. */
export interface SplittableItem {
  identities: string[];
  officialSplit?: 'test';
  /** Weight of the item when filling the splits, usually its number of faces. */
  weight: number;
  /** True when the item's dataset fixes its own test split, so no random test items are drawn from it. */
  hasOfficialTestSplit: boolean;
  /** Dataset the item comes from; each dataset fills the splits in proportion on its own. */
  dataset?: string;
}

/** Split fractions; they are normalised to sum to 1. */
export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

export type SplitName = keyof SplitFractions;

/**
 * Returns the split of each item (same order as the input). Items with `officialSplit: 'test'`
 * go to test. The other items are grouped with union-find over their identity keys, the groups
 * of each dataset are shuffled with `seed`, and whole groups fill the splits in order until each
 * reaches its fraction of that dataset's weight. A group that contains an officially listed test item is still split
 * on its own, because the Celeb-DF list itself shares identities with its training videos.
 */
export function assignSplits(items: SplittableItem[], fractions: SplitFractions, seed: number): SplitName[] {
  const total = fractions.train + fractions.validation + fractions.test;
  if (!(total > 0) || fractions.train < 0 || fractions.validation < 0 || fractions.test < 0) {
    throw new Error(`splitter: fractions ${JSON.stringify(fractions)} must be non-negative with a positive sum`);
  }

  const result: SplitName[] = new Array<SplitName>(items.length).fill('train');
  const groups = groupByIdentity(items);
  const random = mulberry32(seed);

  // One pool per dataset and kind, so a small dataset of heavy video groups still reaches every
  // split instead of being outweighed by a large one. A group joins the pool of its first member.
  const pools = new Map<string, { fractions: number[]; groups: number[][] }>();
  for (const officialTest of [false, true]) {
    for (const members of groups) {
      const poolMembers = members.filter((index) => items[index].officialSplit !== 'test' && items[index].hasOfficialTestSplit === officialTest);
      if (poolMembers.length === 0) continue;
      const key = `${officialTest}:${items[poolMembers[0]].dataset ?? ''}`;
      let pool = pools.get(key);
      if (pool === undefined) {
        pool = { fractions: [fractions.train, fractions.validation, officialTest ? 0 : fractions.test], groups: [] };
        pools.set(key, pool);
      }
      pool.groups.push(poolMembers);
    }
  }
  for (const pool of pools.values()) {
    shuffleInPlace(pool.groups, random);
    fillSplits(pool.groups, items, pool.fractions, result);
  }

  items.forEach((item, index) => {
    if (item.officialSplit === 'test') result[index] = 'test';
  });
  return result;
}

const SPLIT_ORDER: SplitName[] = ['train', 'validation', 'test'];

/** Walks the shuffled groups and gives each to the split with the largest remaining share. */
function fillSplits(groups: number[][], items: SplittableItem[], fractions: number[], result: SplitName[]): void {
  const fractionSum = fractions.reduce((sum, value) => sum + value, 0);
  const totalWeight = groups.reduce((sum, members) => sum + members.reduce((s, index) => s + items[index].weight, 0), 0);
  const targets = fractions.map((fraction) => (fraction / fractionSum) * totalWeight);
  const filled = [0, 0, 0];

  for (const members of groups) {
    const weight = members.reduce((sum, index) => sum + items[index].weight, 0);
    let chosen = 0;
    let largestDeficit = -Infinity;
    for (let split = 0; split < 3; split++) {
      if (fractions[split] === 0 || targets[split] === 0) continue;
      // Relative deficit, so a small split is not starved by a large one.
      const deficit = (targets[split] - filled[split]) / targets[split];
      if (deficit > largestDeficit) {
        largestDeficit = deficit;
        chosen = split;
      }
    }
    filled[chosen] += weight;
    for (const index of members) result[index] = SPLIT_ORDER[chosen];
  }
}

/** Returns the groups of item indices that are connected through shared identity keys. */
export function groupByIdentity(items: Pick<SplittableItem, 'identities'>[]): number[][] {
  const parent = items.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
    return index;
  };

  const firstHolder = new Map<string, number>();
  items.forEach((item, index) => {
    for (const identity of item.identities) {
      const holder = firstHolder.get(identity);
      if (holder === undefined) firstHolder.set(identity, index);
      else parent[find(index)] = find(holder);
    }
  });

  const groups = new Map<number, number[]>();
  items.forEach((_, index) => {
    const root = find(index);
    const members = groups.get(root);
    if (members === undefined) groups.set(root, [index]);
    else members.push(index);
  });
  return [...groups.values()];
}

/** Returns a seeded PRNG with values in [0, 1) (mulberry32, 32-bit state). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle driven by `random`. */
export function shuffleInPlace<T>(values: T[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
}
