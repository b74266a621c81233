/**
 * Shared data types of the detection engine. The engine runs in the extension's
 * offscreen document and in Node, so nothing here touches a browser-extension API.
 */

/** An RGBA image laid out like `ImageData`: 4 bytes per pixel, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** A point in image pixels, `[x, y]`. */
export type Point = [number, number];

/** An axis-aligned rectangle in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The five MTCNN landmarks in this order: image-left eye, image-right eye, nose,
 * image-left mouth corner, image-right mouth corner.
 */
export type Landmarks = [Point, Point, Point, Point, Point];

/** One face found by the detector. */
export interface DetectedFace {
  box: Box;
  landmarks: Landmarks;
  /** O-Net face probability in [0, 1]. */
  score: number;
}

/** One face with the classifier's output. */
export interface ScoredFace extends DetectedFace {
  /** Calibrated probability that the face is manipulated, or null when no trained classifier is loaded. */
  fakeProbability: number | null;
}

/** Reads a file of a model folder, given its path relative to `models/`. */
export type ModelFileReader = (relativePath: string) => Promise<ArrayBuffer>;

/**
 * TF.js backends the engine can run on. `tensorflow` is the native backend of the optional
 * `@tensorflow/tfjs-node` package and exists in Node only.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu' | 'tensorflow';
