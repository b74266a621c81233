import { faceCacheKey, readCachedFaces, writeCachedFaces, type CachedFaces } from './face-cache';
import { cacheKeySettings, extractFaces, type ExtractionSettings, type FacePipeline } from './face-extractor';
import type { DatasetItem, DatasetListing, DatasetProblem } from './types';

/** An item with its faces. */
export interface PreparedItem {
  item: DatasetItem;
  faces: CachedFaces;
  /** True when the item's dataset fixes its own test split. */
  hasOfficialTestSplit: boolean;
  /** Root folder of the item's dataset. */
  dataset?: string;
}

/** Counts reported at the end of preparation. */
export interface PreparationSummary {
  items: number;
  fromCache: number;
  extracted: number;
  /** Items whose file could not be decoded. */
  failed: number;
  /** Items decoded without a single face. */
  withoutFace: number;
  faces: number;
  problems: DatasetProblem[];
}

/** Options of `prepareFaces`. */
export interface PrepareOptions {
  settings: ExtractionSettings;
  /** Folder of the face-crop cache. */
  cacheDir: string;
  /** Builds the detector on first use, so a run served wholly from the cache never loads it. */
  loadPipeline: () => Promise<FacePipeline>;
  /** Version of the detector and alignment, part of the cache key; must match the pipeline's `version`. */
  pipelineVersion: string;
  /** Called after each item with the number done so far and the total. */
  onProgress?: (done: number, total: number, faces: number) => void;
}

/**
 * Extracts (or reads from the cache) the faces of every item of the listings. An item that fails
 * to decode or has no face is recorded as a problem and skipped; the run goes on.
 */
export async function prepareFaces(listings: DatasetListing[], options: PrepareOptions): Promise<{ prepared: PreparedItem[]; summary: PreparationSummary }> {
  const summary: PreparationSummary = { items: 0, fromCache: 0, extracted: 0, failed: 0, withoutFace: 0, faces: 0, problems: listings.flatMap((listing) => listing.problems) };
  const prepared: PreparedItem[] = [];
  const work = listings.flatMap((listing) => listing.items.map((item) => ({ item, hasOfficialTestSplit: listing.hasOfficialTestSplit, dataset: listing.root })));
  const pipeline = lazyPipeline(options.pipelineVersion, options.loadPipeline);

  for (const [index, { item, hasOfficialTestSplit, dataset }] of work.entries()) {
    summary.items += 1;
    let faces: CachedFaces | null = null;
    try {
      const key = await faceCacheKey(item.path, { ...cacheKeySettings(options.settings, item), pipeline: options.pipelineVersion });
      faces = await readCachedFaces(options.cacheDir, key);
      if (faces !== null) {
        summary.fromCache += 1;
      } else {
        faces = await extractFaces(item, options.settings, pipeline);
        await writeCachedFaces(options.cacheDir, key, faces);
        summary.extracted += 1;
      }
    } catch (error) {
      summary.failed += 1;
      summary.problems.push({ path: item.path, message: `face extraction failed: ${(error as Error).message}; skipped` });
    }

    if (faces !== null && faces.count === 0) {
      summary.withoutFace += 1;
      summary.problems.push({ path: item.path, message: `no face of at least ${options.settings.minFaceSize} px found${item.kind === 'video' ? ` in every ${options.settings.everyNthFrame}th frame` : ''}; skipped` });
    } else if (faces !== null) {
      summary.faces += faces.count;
      prepared.push({ item, faces, hasOfficialTestSplit, dataset });
    }
    options.onProgress?.(index + 1, work.length, summary.faces);
  }
  return { prepared, summary };
}

/**
 * Wraps the pipeline loader so the detector loads on the first detection: a run served from the
 * cache, or one whose only uncached files fail to decode, never loads it.
 */
function lazyPipeline(version: string, load: () => Promise<FacePipeline>): FacePipeline {
  let loaded: Promise<FacePipeline> | null = null;
  let ready: FacePipeline | null = null;
  return {
    version,
    async detect(image, minFaceSize) {
      loaded ??= load();
      ready = await loaded;
      return ready.detect(image, minFaceSize);
    },
    align(image, landmarks, size) {
      if (ready === null) throw new Error('face extractor: align was called before detect');
      return ready.align(image, landmarks, size);
    },
  };
}
