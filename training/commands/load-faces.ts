import path from 'node:path';
import { countClasses, buildSplitDatasets, type SplitDatasets } from '../data/face-dataset';
import { loadEnginePipeline, enginePipelineVersion } from '../data/engine-face-pipeline';
import type { ExtractionSettings, FacePipeline } from '../data/face-extractor';
import { prepareFaces, type PreparationSummary, type PreparedItem } from '../data/prepare-faces';
import { readDataset } from '../data/read-dataset';
import type { DatasetItem, DatasetListing } from '../data/types';
import type { DataOptions } from './data-options';
import { createProgressBar, formatDuration } from './progress';

/** Faces of every `--data` folder, ready to split. */
export interface LoadedFaces {
  listings: DatasetListing[];
  prepared: PreparedItem[];
  summary: PreparationSummary;
  settings: ExtractionSettings;
  /** Files listed by the dataset readers, and those kept by the filter and prepared. */
  listedItems: number;
  keptItems: number;
}

/** Problems printed one by one before the rest are only counted. */
const MAX_PRINTED_PROBLEMS = 20;

/** Reads every dataset, extracts or loads cached faces with a progress bar, and prints a summary. */
export async function loadFaces(
  options: DataOptions,
  loadPipeline: () => Promise<FacePipeline> = () => loadEnginePipeline(),
  keep: (item: DatasetItem) => boolean = () => true,
): Promise<LoadedFaces> {
  const listings: DatasetListing[] = [];
  for (const folder of options.data) {
    const listing = await readDataset(folder, { ffpp: { compressions: options.ffppCompression } });
    console.error(`train: ${listing.root}: ${listing.layout} layout, ${listing.items.length} files (${listing.items.filter((item) => item.label === 0).length} real, ${listing.items.filter((item) => item.label === 1).length} fake)`);
    listings.push(listing);
  }

  // A dataset of one class is fine when another --data folder brings the other class.
  for (const listing of listings) {
    listing.problems = listing.problems.filter((problem) => {
      if (problem.missingClass === undefined || !listings.some((other) => other.items.some((item) => item.label === problem.missingClass))) return true;
      console.error(`train: ${listing.root} has no ${problem.missingClass === 0 ? 'real' : 'fake'} items; the other datasets supply them`);
      return false;
    });
  }

  const listedItems = listings.reduce((sum, listing) => sum + listing.items.length, 0);
  for (const listing of listings) listing.items = listing.items.filter(keep);

  const settings: ExtractionSettings = {
    everyNthFrame: options.every,
    minFaceSize: options.minFace,
    maxFramesPerVideo: options.maxFrames,
    cropMode: options.cropMode,
    framing: options.framing,
    faceSize: 128,
  };
  const total = listings.reduce((sum, listing) => sum + listing.items.length, 0);
  const bar = createProgressBar('faces {bar} {value}/{total} files | {faces} faces | ETA {eta_formatted}', total, { faces: '0' });
  const started = Date.now();
  const { prepared, summary } = await prepareFaces(listings, {
    settings,
    cacheDir: path.resolve(options.cacheDir),
    pipelineVersion: await enginePipelineVersion(),
    loadPipeline,
    onProgress: (done, _total, faces) => bar.update(done, { faces: String(faces) }),
  });
  bar.stop();

  printPreparationSummary(summary, (Date.now() - started) / 1000);
  return { listings, prepared, summary, settings, listedItems, keptItems: total };
}

function printPreparationSummary(summary: PreparationSummary, seconds: number): void {
  console.error(
    `train: ${summary.items} files in ${formatDuration(seconds)}: ${summary.faces} faces, ${summary.fromCache} from cache, ${summary.extracted} extracted, ` +
      `${summary.withoutFace} without a face, ${summary.failed} unreadable, ${countOf(summary.problems.length, 'problem')}`,
  );
  for (const problem of summary.problems.slice(0, MAX_PRINTED_PROBLEMS)) console.error(`  ${problem.missingClass === undefined ? 'skipped' : 'note:'} ${problem.path}: ${problem.message}`);
  if (summary.problems.length > MAX_PRINTED_PROBLEMS) console.error(`  ... and ${summary.problems.length - MAX_PRINTED_PROBLEMS} more (written to the report)`);
}

/** Splits the faces and prints the size and classes of each split. */
export function splitFaces(loaded: LoadedFaces, options: DataOptions): SplitDatasets {
  const splits = buildSplitDatasets(loaded.prepared, options.split, options.seed);
  for (const name of ['train', 'validation', 'test'] as const) {
    const classes = countClasses(splits[name]);
    console.error(`train: ${name} split: ${countOf(splits.videoIds[name].length, 'file')}, ${countOf(splits[name].count, 'face')} (${classes.real} real, ${classes.fake} fake)`);
  }
  return splits;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
