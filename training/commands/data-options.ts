import { Option, type Command } from 'commander';
import { DEFAULT_FACE_CACHE_DIR } from '../data/face-cache';
import { DEFAULT_EXTRACTION_SETTINGS, FACE_CROP_FRAMING, type CropMode, type FaceFraming } from '../data/face-extractor';
import { DEFAULT_SPLIT_FRACTIONS, type SplitFractions } from '../data/split';
import { collect, integerAtLeast, parseFraming, parseList, parseSplitFractions } from './option-parsers';

/** Dataset and split options shared by `fit`, `evaluate` and `compare`. */
export interface DataOptions {
  data: string[];
  every: number;
  minFace: number;
  maxFrames: number;
  cropMode: CropMode;
  framing: FaceFraming;
  cacheDir: string;
  ffppCompression?: string[];
  split: SplitFractions;
  seed: number;
}

export const DEFAULT_SEED = 1;

/** Adds the dataset, face extraction and split options to a command. */
export function addDataOptions(command: Command): Command {
  return command
    .requiredOption('--data <dir>', 'dataset folder (FaceForensics++, Celeb-DF v2, DFDC or real/ + fake/); repeat to combine datasets', collect)
    .option('--every <n>', 'decode every Nth video frame', integerAtLeast(1), DEFAULT_EXTRACTION_SETTINGS.everyNthFrame)
    .option('--min-face <px>', 'smallest face side the detector looks for, in source pixels', integerAtLeast(12), DEFAULT_EXTRACTION_SETTINGS.minFaceSize)
    .option('--max-frames <n>', 'decoded frames per video at most (0 = the whole video)', integerAtLeast(0), DEFAULT_EXTRACTION_SETTINGS.maxFramesPerVideo)
    .addOption(
      new Option('--crop-mode <mode>', 'for image datasets: "detect" finds and aligns the face in each image, "whole" takes each image as an already cut face')
        .choices(['detect', 'whole'])
        .default(DEFAULT_EXTRACTION_SETTINGS.cropMode),
    )
    .addOption(
      new Option(
        '--framing <kind>',
        'how a detected face is cut: "aligned" (five-landmark alignment), "box" (an upright square framed like the DFDC face crops, so video faces match crops taken whole) or "box:scale,offsetX,offsetY" in box widths; the model card tells the engine to cut faces the same way',
      )
        .argParser(parseFraming)
        .default(DEFAULT_EXTRACTION_SETTINGS.framing, 'aligned'),
    )
    .option('--cache-dir <dir>', 'folder of the face-crop cache', DEFAULT_FACE_CACHE_DIR)
    .option('--ffpp-compression <list>', 'FaceForensics++ compression folders to read, comma-separated (c0,c23,c40,raw); default every one present', parseList)
    .addOption(
      new Option('--split <train,validation,test>', 'split proportions by identity group, in percent or fractions')
        .argParser(parseSplitFractions)
        .default(DEFAULT_SPLIT_FRACTIONS, '70,15,15'),
    )
    .option('--seed <n>', 'seed of the split, weight initialisation, shuffling and augmentation; dropout masks stay unseeded (TF.js repeats one mask per seed), so runs with dropout differ slightly', integerAtLeast(0), DEFAULT_SEED);
}

/**
 * Gives `--crop-mode whole` runs without `--framing` the face-crop box framing, so video faces and
 * the card's inference framing match the crops taken whole. Warns about aligned framing beside whole crops.
 */
export function applyCropFraming(command: Command, options: DataOptions): void {
  if (options.cropMode !== 'whole') return;
  if (command.getOptionValueSource('framing') === 'default') {
    options.framing = { ...FACE_CROP_FRAMING };
    console.error('train: --crop-mode whole: detected faces and the model card use box framing, the framing of face crops (pass --framing to choose another)');
    return;
  }
  if (options.framing.kind === 'aligned') {
    console.error('train: warning: --crop-mode whole with --framing aligned: crops are used whole but video faces and the engine align faces, so the model will score faces framed unlike its crops');
  }
}
