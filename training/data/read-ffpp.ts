import path from 'node:path';
import { listMediaFiles, listSubfolders, relativeId, stemOf, videoIdOf } from './media-files';
import type { DatasetItem, DatasetListing, DatasetProblem } from './types';

/** Options of the FaceForensics++ reader. */
export interface FfppReaderOptions {
  /** Compression folders to read (`c0`, `c23`, `c40`, `raw`); undefined reads every one present. */
  compressions?: string[];
}

/**
 * Reads a FaceForensics++ release: `original_sequences/<source>/<compression>/videos/*.mp4` are
 * real and `manipulated_sequences/<method>/<compression>/videos/*.mp4` are fake. Mask folders
 * are ignored.
 */
export async function readFfpp(root: string, options: FfppReaderOptions = {}): Promise<DatasetListing> {
  const items: DatasetItem[] = [];
  const problems: DatasetProblem[] = [];

  for (const [sequencesFolder, label] of [['original_sequences', 0], ['manipulated_sequences', 1]] as const) {
    const sequencesPath = path.join(root, sequencesFolder);
    for (const sourceOrMethod of await listSubfolders(sequencesPath)) {
      const methodPath = path.join(sequencesPath, sourceOrMethod);
      for (const compression of await listSubfolders(methodPath)) {
        if (compression === 'masks') continue;
        if (options.compressions !== undefined && !options.compressions.includes(compression)) continue;
        const videosPath = path.join(methodPath, compression, 'videos');
        const files = await listMediaFiles(videosPath, { recursive: false });
        for (const file of files) {
          if (file.kind !== 'video') continue;
          const identities = ffppIdentities(sourceOrMethod, stemOf(file.path), label);
          if (identities === null) {
            problems.push({ path: file.path, message: `FaceForensics++ reader: file name "${path.basename(file.path)}" does not follow the release's naming, so its identity group is unknown; skipped` });
            continue;
          }
          items.push({
            path: file.path,
            label,
            kind: 'video',
            method: label === 0 ? 'real' : sourceOrMethod,
            videoId: videoIdOf('ffpp', root, file.path),
            identities,
            layout: 'ffpp',
          });
        }
      }
    }
  }
  return { root, layout: 'ffpp', items, problems, hasOfficialTestSplit: false };
}

/**
 * Returns the identity keys of a FaceForensics++ file, or null when the name does not parse.
 * YouTube originals are `TTT`; their fakes `TTT_SSS` show target TTT with the face of source SSS.
 * DeepFakeDetection actor clips are `AA__scene`; their fakes `AA_BB__scene__hash`.
 */
export function ffppIdentities(sourceOrMethod: string, stem: string, label: 0 | 1): string[] | null {
  const actorSwap = /^(\d+)_(\d+)__/.exec(stem);
  if (actorSwap !== null) return [`ffpp:actor:${actorSwap[1]}`, `ffpp:actor:${actorSwap[2]}`];
  const actor = /^(\d+)__/.exec(stem);
  if (actor !== null) return [`ffpp:actor:${actor[1]}`];

  const youtubeSwap = /^(\d+)_(\d+)$/.exec(stem);
  if (youtubeSwap !== null) return [`ffpp:youtube:${youtubeSwap[1]}`, `ffpp:youtube:${youtubeSwap[2]}`];
  const youtube = /^(\d+)$/.exec(stem);
  if (youtube !== null) return [`ffpp:youtube:${youtube[1]}`];

  // Unknown sources of a future release still get their own group, but an unparsable fake does not.
  if (label === 0) return [`ffpp:${sourceOrMethod}:${stem}`];
  return null;
}
