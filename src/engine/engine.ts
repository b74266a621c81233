import * as tf from '@tensorflow/tfjs';
import { alignFace, ALIGNED_FACE_SIZE, cropFaceBox, type GreyImage } from './align';
import { selectBackend, useBackend, type BackendReport } from './backend';
import { loadClassifier, type Classifier, type ModelCard } from './classifier';
import { createMtcnn, type Mtcnn, type MtcnnConfig } from './mtcnn';
import type { BackendName, ModelFileReader, RgbaImage, ScoredFace } from './types';

export interface EngineOptions {
  /** Reads model files by their path relative to `models/`. */
  readFile: ModelFileReader;
  /**
   * Backends to measure at start-up; the fastest wins. With one name the engine uses it without
   * measuring the others. Default: every backend TF.js can start here.
   */
  backends?: BackendName[];
  /** Detector settings applied to every frame unless `analyzeFrame` overrides them. Default `ENGINE_DETECTOR_DEFAULTS`. */
  detector?: Partial<MtcnnConfig>;
  /** Folder under `models/` with the classifier's `model.json` and `card.json`. Default `classifier`. */
  classifierFolder?: string;
}

/**
 * Detector settings the engine uses unless `EngineOptions.detector` overrides them. MTCNN's own default minimum face is 20 px,
 * but a face under 40 px carries too little detail for the 128 px classifier, and skipping the
 * finest pyramid levels cut detection on a 640x360 frame from about 110 to 41 ms of CPU on WASM
 * (`npm run bench:engine`, 2-core x86-64).
 */
export const ENGINE_DETECTOR_DEFAULTS: Partial<MtcnnConfig> = { minFaceSize: 40 };

/** Detector and classifier on one TF.js backend, shared by the extension and the Node tools. */
export interface Engine {
  backend: BackendReport;
  /** Card of the loaded classifier, or null when no trained classifier is installed. */
  model: ModelCard | null;
  /** Finds the faces of one frame and scores each; `fakeProbability` is null without a trained classifier. */
  analyzeFrame(image: RgbaImage, detector?: Partial<MtcnnConfig>): Promise<ScoredFace[]>;
  /** Scores aligned grey faces directly, or returns null without a trained classifier. */
  classifyFaces(faces: GreyImage[]): Promise<Float32Array | null>;
  dispose(): void;
}

/** Chooses a backend by measurement, then loads MTCNN and the classifier on it. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const backend = options.backends?.length === 1 ? await useBackend(options.backends[0]) : await selectBackend({ candidates: options.backends });
  const mtcnn = await createMtcnn(options.readFile);
  const loaded = await loadClassifier(options.readFile, options.classifierFolder ?? 'classifier');
  const classifier = loaded?.card.trained ? loaded : null;
  if (loaded && !classifier) {
    loaded.dispose();
  }
  return new TfEngine(backend, mtcnn, classifier, { ...ENGINE_DETECTOR_DEFAULTS, ...options.detector });
}

class TfEngine implements Engine {
  readonly model: ModelCard | null;

  constructor(
    readonly backend: BackendReport,
    private readonly mtcnn: Mtcnn,
    private readonly classifier: Classifier | null,
    private readonly detectorDefaults: Partial<MtcnnConfig>,
  ) {
    this.model = classifier?.card ?? null;
  }

  async analyzeFrame(image: RgbaImage, detector: Partial<MtcnnConfig> = {}): Promise<ScoredFace[]> {
    const faces = await this.mtcnn.detect(image, { ...this.detectorDefaults, ...detector });
    if (faces.length === 0) {
      return [];
    }
    const framing = this.classifier?.card.input.framing;
    const cropped = faces.map((face) =>
      framing?.kind === 'box' ? cropFaceBox(image, face.box, framing, ALIGNED_FACE_SIZE) : alignFace(image, face.landmarks, ALIGNED_FACE_SIZE),
    );
    const probabilities = await this.classifyFaces(cropped);
    return faces.map((face, i) => ({ ...face, fakeProbability: probabilities ? probabilities[i] : null }));
  }

  async classifyFaces(faces: GreyImage[]): Promise<Float32Array | null> {
    if (!this.classifier) {
      return null;
    }
    if (faces.length === 0) {
      return new Float32Array(0);
    }
    const batch = facesToTensor(faces);
    try {
      return await this.classifier.predict(batch);
    } finally {
      batch.dispose();
    }
  }

  dispose(): void {
    this.mtcnn.dispose();
    this.classifier?.dispose();
  }
}

/** Packs aligned grey faces into the classifier's input: [n, 128, 128, 1], pixels scaled to [0, 1]. */
export function facesToTensor(faces: GreyImage[]): tf.Tensor4D {
  const size = ALIGNED_FACE_SIZE;
  const pixels = new Float32Array(faces.length * size * size);
  faces.forEach((face, i) => {
    if (face.width !== size || face.height !== size) {
      throw new Error(`Aligned face ${i} is ${face.width}x${face.height}; the classifier needs ${size}x${size}`);
    }
    const offset = i * size * size;
    for (let p = 0; p < size * size; p++) {
      pixels[offset + p] = face.data[p] / 255;
    }
  });
  return tf.tensor4d(pixels, [faces.length, size, size, 1]);
}
