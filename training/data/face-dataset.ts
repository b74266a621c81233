import { assignSplits, type SplitFractions, type SplitName } from './split';
import type { FaceDataset } from '../train-loop';
import type { PreparedItem } from './prepare-faces';

/** Faces ready for training, in the shape `trainClassifier` takes. */
export type { FaceDataset } from '../train-loop';

/** The three splits and which videos went where. */
export interface SplitDatasets {
  train: FaceDataset;
  validation: FaceDataset;
  test: FaceDataset;
  /** Video ids of each split, saved with the model so evaluation can reuse the test split. */
  videoIds: Record<SplitName, string[]>;
}

/** Splits prepared items by identity group (weighted by face count) and packs each split. */
export function buildSplitDatasets(prepared: PreparedItem[], fractions: SplitFractions, seed: number): SplitDatasets {
  const splits = assignSplits(
    prepared.map(({ item, faces, hasOfficialTestSplit, dataset }) => ({ identities: item.identities, officialSplit: item.officialSplit, weight: faces.count, hasOfficialTestSplit, dataset })),
    fractions,
    seed,
  );
  const pick = (name: SplitName): PreparedItem[] => prepared.filter((_, index) => splits[index] === name);
  const train = pick('train');
  const validation = pick('validation');
  const test = pick('test');
  return {
    train: packFaceDataset(train),
    validation: packFaceDataset(validation),
    test: packFaceDataset(test),
    videoIds: {
      train: train.map(({ item }) => item.videoId),
      validation: validation.map(({ item }) => item.videoId),
      test: test.map(({ item }) => item.videoId),
    },
  };
}

/** Packs the faces of items into one FaceDataset, in item order. */
export function packFaceDataset(items: PreparedItem[]): FaceDataset {
  const count = items.reduce((sum, { faces }) => sum + faces.count, 0);
  const faceBytes = items.length > 0 ? items[0].faces.faceSize ** 2 : 0;
  const images = new Uint8Array(count * faceBytes);
  const labels = new Uint8Array(count);
  const videoIds: string[] = [];
  const methods: string[] = [];

  let offset = 0;
  for (const { item, faces } of items) {
    if (faces.faceSize ** 2 !== faceBytes) {
      throw new Error(`face dataset: ${item.path} has ${faces.faceSize} px faces, the others ${Math.sqrt(faceBytes)} px; clear the cache or use one --face-size`);
    }
    images.set(faces.faces, offset * faceBytes);
    labels.fill(item.label, offset, offset + faces.count);
    for (let i = 0; i < faces.count; i++) {
      videoIds.push(item.videoId);
      methods.push(item.method);
    }
    offset += faces.count;
  }
  return { images, labels, count, videoIds, methods };
}

/** Returns the number of real and fake faces of a dataset. */
export function countClasses(dataset: FaceDataset): { real: number; fake: number } {
  let fake = 0;
  for (const label of dataset.labels) fake += label;
  return { real: dataset.count - fake, fake };
}
