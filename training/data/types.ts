/**
 * Types shared by the dataset readers, the face-crop cache and the splitter.
 */

/** Layouts the readers recognise. `folders` is `real/` and `fake/` with an optional `labels.csv`. */
export type LayoutName = 'ffpp' | 'celebdf' | 'dfdc' | 'folders';

/** Whether an item is a video to sample frames from or a still image. */
export type MediaKind = 'video' | 'image';

/** One video or image a reader found, before any face is extracted. */
export interface DatasetItem {
  /** Absolute path of the file. */
  path: string;
  /** 1 = fake (manipulated), 0 = real. */
  label: 0 | 1;
  kind: MediaKind;
  /** Manipulation method for fakes (`Deepfakes`, `Celeb-synthesis`, `DFDC`, ...) and `real` for reals. */
  method: string;
  /** Key that names the source file across datasets: `<layout>:<dataset folder name>/<path below it>`. */
  videoId: string;
  /**
   * Identity keys of the people in the file. Items that share any key form one group, and a
   * group never straddles two splits.
   */
  identities: string[];
  /** Split fixed by the dataset itself (the Celeb-DF test list), or undefined when it has none. */
  officialSplit?: 'test';
  /** Layout of the dataset the item came from. */
  layout: LayoutName;
}

/** A file or folder a reader skipped, with the reason. */
export interface DatasetProblem {
  path: string;
  message: string;
  /** A missing class: nothing was skipped, and other datasets of the run may supply the class. */
  missingClass?: 0 | 1;
}

/** Items and problems of one dataset folder. */
export interface DatasetListing {
  root: string;
  layout: LayoutName;
  items: DatasetItem[];
  problems: DatasetProblem[];
  /** True when the dataset fixes its own test split, so the splitter draws no random test set from it. */
  hasOfficialTestSplit: boolean;
}

/** A grey image, 1 byte per pixel 0..255, rows top to bottom (the output of `alignFace`). */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Video and image file extensions the readers pick up, lower case with the dot. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v']);
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png']);
