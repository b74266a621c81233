import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { buildAlexNet, FACE_SIZE } from '../src/engine/classifier/alexnet';
import { isEmbeddingLoss, type LossName } from '../src/engine/classifier/loss-name';
import { augmentFace, type AugmentOptions } from './augment';
import { rocAuc } from './metrics/roc';
import { readCheckpointState, restoreCheckpoint, writeCheckpoint, type EpochRecord } from './checkpoint';
import { lossFunctionFor, type BatchLoss, type LossOptions } from './losses';
import { attachProbabilityHead, predictOutputs, scoreFaces } from './model/predict-batches';
import { fitLogisticRegression, type LogisticRegression } from './model/fit-logistic-regression';
import { SeededRandom } from './seeded-random';

export type { EpochRecord } from './checkpoint';
export { exportClassifier } from './export-classifier';

const FACE_BYTES = FACE_SIZE * FACE_SIZE;

/** Faces for training or validation: `count` grey 128x128 faces (0..255) back to back. */
export interface FaceDataset {
  images: Uint8Array;
  /** 1 = fake, 0 = real. */
  labels: Uint8Array;
  count: number;
  /** Source video (or image) of each face. */
  videoIds: string[];
  /** Manipulation method of each face, `real` for reals. */
  methods: string[];
}

/** Progress of one training step. */
export interface TrainProgress {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  /** Mean training loss of the epoch so far. */
  loss: number;
  /** Validation AUC, reported once per epoch after the last step. */
  valAuc?: number;
  samplesPerSecond: number;
  /** Estimated seconds to the end of the last epoch, validation excluded. */
  etaSeconds: number;
}

export interface TrainOptions {
  loss: LossName;
  /** Maximum number of epochs. */
  epochs: number;
  /** Faces per step. Default 32. The last incomplete batch of an epoch is dropped. */
  batchSize?: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Oversample the minority class each epoch so both classes appear equally often. */
  balanceClasses: boolean;
  augment: AugmentOptions;
  /** Stop after this many epochs without a better validation AUC; 0 never stops early. */
  earlyStoppingPatience: number;
  /** Seed of initialisers, shuffling, augmentation and dropout. */
  seed: number;
  /** Dropout after the 128-unit dense layer (classification heads only). Default 0.5. */
  dropout?: number;
  /** Folder for per-epoch checkpoints; none are written when undefined. */
  checkpointDir?: string;
  /** Continue from the checkpoint in `checkpointDir` when one exists. */
  resume?: boolean;
  /** Margins of the embedding losses. */
  lossOptions?: LossOptions;
  /**
   * Wall-clock budget of the training steps in seconds, counted from the call. When it runs out,
   * the current epoch ends after its current step, is validated and checkpointed like a full
   * epoch, and training stops. At least one step runs. Default: no budget.
   */
  timeBudgetSeconds?: number;
  /** Training faces the embedding classifier is fitted on, at most. Default 4000. */
  embeddingFitFaces?: number;
  onProgress?(progress: TrainProgress): void;
  /** Called after each epoch with its record. */
  onEpoch?(record: EpochRecord): void;
  /** Called with one line when training resumes, starts without a checkpoint to resume, or stops early. */
  onNotice?(message: string): void;
}

export interface TrainResult {
  /** Model with the best validation AUC, outputting the fake probability ([n, 1], or [n, 2] softmax for `sparse-cce`). */
  model: tf.LayersModel;
  loss: LossName;
  history: EpochRecord[];
  /** 1-based epoch whose weights `model` holds. */
  bestEpoch: number;
  /** Uncalibrated fake probabilities of the validation faces from `model`, in dataset order. */
  validationScores: Float32Array;
  /** For embedding losses, the logistic regression baked into `model`. */
  embeddingClassifier?: LogisticRegression;
}

const DEFAULT_BATCH_SIZE = 32;
const DEFAULT_LEARNING_RATE = 1e-3;
const DEFAULT_DROPOUT = 0.5;
const DEFAULT_EMBEDDING_FIT_FACES = 4000;

/**
 * Trains the AlexNet with Adam on `train`, measures validation AUC after every epoch, keeps the
 * best epoch's weights, and stops early when the AUC has not improved for
 * `earlyStoppingPatience` epochs. For embedding losses a logistic regression is fitted on the
 * embeddings of training faces and baked into the returned model.
 */
export async function trainClassifier(train: FaceDataset, validation: FaceDataset, options: TrainOptions): Promise<TrainResult> {
  checkDataset(train, 'training');
  checkDataset(validation, 'validation');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (train.count < batchSize) {
    throw new Error(`trainClassifier: ${train.count} training faces is fewer than one batch of ${batchSize}; add data or lower --batch-size`);
  }

  const embedding = isEmbeddingLoss(options.loss);
  const model = buildAlexNet({ head: options.loss, dropout: embedding ? 0 : (options.dropout ?? DEFAULT_DROPOUT), seed: options.seed });
  const optimizer = tf.train.adam(options.learningRate ?? DEFAULT_LEARNING_RATE);
  const lossFunction = lossFunctionFor(options.loss, options.lossOptions);
  const random = new SeededRandom(options.seed);
  const { fingerprint, settingHashes } = fingerprintOf(options, train, validation);

  let history: EpochRecord[] = [];
  let bestEpoch = 0;
  let bestAuc = Number.NEGATIVE_INFINITY;
  let bestWeights: tf.Tensor[] = [];
  let bestScores: Float32Array | null = null;
  const deadline = options.timeBudgetSeconds === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.timeBudgetSeconds * 1000;
  if (options.resume && options.checkpointDir) {
    const state = await readCheckpointState(options.checkpointDir);
    if (state) {
      if (state.fingerprint !== fingerprint) {
        const changed = state.settingHashes === undefined ? [] : Object.keys(settingHashes).filter((key) => state.settingHashes?.[key] !== settingHashes[key]);
        const difference = changed.length > 0 ? `other ${changed.join(', ')}` : 'other options or data';
        throw new Error(`train: the checkpoint in ${options.checkpointDir} was written with ${difference}; delete it, choose another --checkpoint-dir, or start without --resume`);
      }
      bestWeights = await restoreCheckpoint(options.checkpointDir, state, model, optimizer);
      ({ history, bestEpoch, bestAuc } = state);
      random.setState(state.randomState);
      options.onNotice?.(`resuming from the checkpoint in ${options.checkpointDir} after epoch ${history.length} (best epoch ${bestEpoch})`);
    } else {
      options.onNotice?.(`no checkpoint in ${options.checkpointDir} to resume from; starting at epoch 1`);
    }
  }

  try {
    for (let epoch = history.length + 1; epoch <= options.epochs; epoch++) {
      if (options.earlyStoppingPatience > 0 && bestEpoch > 0 && epoch - bestEpoch > options.earlyStoppingPatience) {
        options.onNotice?.(`early stop: no better validation AUC for ${options.earlyStoppingPatience} epochs after epoch ${bestEpoch}`);
        break;
      }
      // Every call trains at least one step, so a result always has a validated epoch.
      if (history.length > 0 && performance.now() >= deadline) {
        options.onNotice?.(`time budget used up after epoch ${history.length}`);
        break;
      }
      const { loss, steps, stepsPerEpoch } = runEpoch(model, optimizer, lossFunction, train, options, random, epoch, batchSize, deadline);
      if (steps < stepsPerEpoch) {
        options.onNotice?.(`time budget used up: epoch ${epoch} ends after ${steps} ${steps === 1 ? 'step' : 'steps'} and is validated as it stands`);
      }
      const evaluation = await evaluateEpoch(model, options, train, validation, lossFunction, batchSize, random);
      const record: EpochRecord = { epoch, loss, steps, valLoss: evaluation.valLoss, valAuc: evaluation.auc };
      history.push(record);
      const isBest = evaluation.auc > bestAuc || bestEpoch === 0;
      if (isBest) {
        bestAuc = evaluation.auc;
        bestEpoch = epoch;
        tf.dispose(bestWeights);
        bestWeights = model.getWeights().map((weight) => weight.clone());
        bestScores = evaluation.scores;
      }
      options.onEpoch?.(record);
      if (options.checkpointDir) {
        await writeCheckpoint(options.checkpointDir, model, optimizer, { epoch, history, bestEpoch, bestAuc, randomState: random.getState(), fingerprint, settingHashes }, isBest);
      }
    }
    if (bestWeights.length > 0) {
      model.setWeights(bestWeights);
    }
    return await finishModel(model, options, train, validation, history, bestEpoch, bestScores);
  } finally {
    tf.dispose(bestWeights);
    optimizer.dispose();
  }
}

/** Runs one epoch of Adam steps, or fewer when the deadline passes; returns the mean training loss and the step count. */
function runEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  lossFunction: BatchLoss,
  train: FaceDataset,
  options: TrainOptions,
  random: SeededRandom,
  epoch: number,
  batchSize: number,
  deadline: number,
): { loss: number; steps: number; stepsPerEpoch: number } {
  const order = epochOrder(train.labels, options.balanceClasses, random);
  const stepsPerEpoch = Math.floor(order.length / batchSize);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const started = performance.now();
  let lossTotal = 0;
  let stepsRun = 0;
  for (let step = 0; step < stepsPerEpoch && (step === 0 || performance.now() < deadline); step++) {
    const indices = order.slice(step * batchSize, (step + 1) * batchSize);
    const { images, labels } = makeBatch(train, indices, options.augment, random);
    const stepLoss = optimizer.minimize(() => lossFunction(labels, model.apply(images, { training: true }) as tf.Tensor), true, variables);
    // One read per step: the loss drives the progress report, and WASM is synchronous anyway.
    lossTotal += stepLoss ? stepLoss.dataSync()[0] : Number.NaN;
    tf.dispose([stepLoss as tf.Scalar, images, labels]);
    stepsRun++;

    const seconds = (performance.now() - started) / 1000;
    const stepsLeft = stepsPerEpoch - step - 1 + (options.epochs - epoch) * stepsPerEpoch;
    options.onProgress?.({
      epoch,
      step: step + 1,
      stepsPerEpoch,
      loss: lossTotal / (step + 1),
      samplesPerSecond: ((step + 1) * batchSize) / seconds,
      etaSeconds: (seconds / (step + 1)) * stepsLeft,
    });
  }
  return { loss: lossTotal / stepsRun, steps: stepsRun, stepsPerEpoch };
}

interface EpochEvaluation {
  auc: number;
  valLoss: number;
  /** Fake probabilities of the validation faces, or null for embedding losses. */
  scores: Float32Array | null;
}

async function evaluateEpoch(
  model: tf.LayersModel,
  options: TrainOptions,
  train: FaceDataset,
  validation: FaceDataset,
  lossFunction: BatchLoss,
  batchSize: number,
  random: SeededRandom,
): Promise<EpochEvaluation> {
  const outputs = await predictOutputs(model, validation);
  try {
    const valLoss = await meanBatchLoss(lossFunction, outputs, validation.labels, batchSize);
    if (!isEmbeddingLoss(options.loss)) {
      const scores = await scoreFaces(outputs);
      return { auc: rocAuc(scores, validation.labels), valLoss, scores };
    }
    const classifier = await fitEmbeddingClassifier(model, train, options, random);
    const scores = tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(outputs, tf.tensor2d(classifier.weights, [classifier.weights.length, 1])), classifier.bias)));
    const values = await scores.data();
    scores.dispose();
    return { auc: rocAuc(values, validation.labels), valLoss, scores: null };
  } finally {
    outputs.dispose();
  }
}

/** Mean loss over consecutive batches of precomputed outputs (no augmentation, no dropout). */
async function meanBatchLoss(lossFunction: BatchLoss, outputs: tf.Tensor2D, labels: Uint8Array, batchSize: number): Promise<number> {
  const batches = Math.max(1, Math.floor(labels.length / batchSize));
  const losses = tf.tidy(() => {
    const values: tf.Scalar[] = [];
    for (let b = 0; b < batches; b++) {
      const size = Math.min(batchSize, labels.length - b * batchSize);
      const batchLabels = tf.tensor1d(labels.subarray(b * batchSize, b * batchSize + size), 'float32');
      values.push(lossFunction(batchLabels, tf.slice(outputs, [b * batchSize, 0], [size, -1])));
    }
    return tf.stack(values);
  });
  const values = Array.from(await losses.data());
  losses.dispose();
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

async function fitEmbeddingClassifier(model: tf.LayersModel, train: FaceDataset, options: TrainOptions, random: SeededRandom): Promise<LogisticRegression> {
  const limit = Math.min(train.count, options.embeddingFitFaces ?? DEFAULT_EMBEDDING_FIT_FACES);
  const picked = random.shuffle(Array.from({ length: train.count }, (_, i) => i)).slice(0, limit);
  const subset = subsetOf(train, picked);
  const embeddings = await predictOutputs(model, subset);
  try {
    return await fitLogisticRegression(embeddings, subset.labels);
  } finally {
    embeddings.dispose();
  }
}

async function finishModel(
  model: tf.LayersModel,
  options: TrainOptions,
  train: FaceDataset,
  validation: FaceDataset,
  history: EpochRecord[],
  bestEpoch: number,
  bestScores: Float32Array | null,
): Promise<TrainResult> {
  let probabilityModel = model;
  let embeddingClassifier: LogisticRegression | undefined;
  if (isEmbeddingLoss(options.loss)) {
    embeddingClassifier = await fitEmbeddingClassifier(model, train, options, new SeededRandom(options.seed));
    probabilityModel = attachProbabilityHead(model, embeddingClassifier);
  }
  // The best epoch's validation scores are reused unless a resume restored weights without them.
  let validationScores = bestScores;
  if (validationScores === null) {
    const outputs = await predictOutputs(probabilityModel, validation);
    validationScores = await scoreFaces(outputs);
    outputs.dispose();
  }
  return { model: probabilityModel, loss: options.loss, history, bestEpoch, validationScores, embeddingClassifier };
}

/** Returns the epoch's sample order: shuffled, with the minority class oversampled when balancing. */
export function epochOrder(labels: Uint8Array, balance: boolean, random: SeededRandom): number[] {
  const all = Array.from({ length: labels.length }, (_, i) => i);
  if (!balance) {
    return random.shuffle(all);
  }
  const fakes = all.filter((i) => labels[i] === 1);
  const reals = all.filter((i) => labels[i] === 0);
  if (fakes.length === 0 || reals.length === 0) {
    return random.shuffle(all);
  }
  const [minority, majority] = fakes.length < reals.length ? [fakes, reals] : [reals, fakes];
  const extra = Array.from({ length: majority.length - minority.length }, () => minority[random.integer(minority.length)]);
  return random.shuffle([...majority, ...minority, ...extra]);
}

/** Copies, augments and scales a batch of faces: images [b, 128, 128, 1] in [0, 1], labels [b]. */
function makeBatch(dataset: FaceDataset, indices: number[], augment: AugmentOptions, random: SeededRandom): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const pixels = new Float32Array(indices.length * FACE_BYTES);
  const face = new Uint8Array(FACE_BYTES);
  const labels = new Float32Array(indices.length);
  indices.forEach((source, target) => {
    face.set(dataset.images.subarray(source * FACE_BYTES, (source + 1) * FACE_BYTES));
    augmentFace(face, FACE_SIZE, augment, random);
    for (let p = 0; p < FACE_BYTES; p++) {
      pixels[target * FACE_BYTES + p] = face[p] / 255;
    }
    labels[target] = dataset.labels[source];
  });
  return { images: tf.tensor4d(pixels, [indices.length, FACE_SIZE, FACE_SIZE, 1]), labels: tf.tensor1d(labels) };
}

function subsetOf(dataset: FaceDataset, indices: number[]): FaceDataset {
  const images = new Uint8Array(indices.length * FACE_BYTES);
  indices.forEach((source, target) => images.set(dataset.images.subarray(source * FACE_BYTES, (source + 1) * FACE_BYTES), target * FACE_BYTES));
  return {
    images,
    labels: Uint8Array.from(indices, (i) => dataset.labels[i]),
    count: indices.length,
    videoIds: indices.map((i) => dataset.videoIds[i]),
    methods: indices.map((i) => dataset.methods[i]),
  };
}

function checkDataset(dataset: FaceDataset, name: string): void {
  if (dataset.images.length !== dataset.count * FACE_BYTES || dataset.labels.length !== dataset.count) {
    throw new Error(
      `trainClassifier: the ${name} set has ${dataset.count} faces but ${dataset.images.length} image bytes and ${dataset.labels.length} labels; expected ${FACE_BYTES} bytes (128x128 grey) and one label per face`,
    );
  }
  if (dataset.count === 0) {
    throw new Error(`trainClassifier: the ${name} set is empty; check the dataset path and split fractions`);
  }
}

/** Hash of everything that must match for a checkpoint to be resumed. */
function fingerprintOf(options: TrainOptions, train: FaceDataset, validation: FaceDataset): { fingerprint: string; settingHashes: Record<string, string> } {
  const relevant = {
    loss: options.loss,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    learningRate: options.learningRate ?? DEFAULT_LEARNING_RATE,
    balanceClasses: options.balanceClasses,
    augment: options.augment,
    seed: options.seed,
    dropout: options.dropout ?? DEFAULT_DROPOUT,
    lossOptions: options.lossOptions ?? {},
    train: [train.count, train.videoIds.slice(0, 5), train.videoIds.slice(-5)],
    validation: [validation.count, validation.videoIds.slice(0, 5)],
  };
  const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
  const settingHashes = Object.fromEntries(Object.entries(relevant).map(([key, value]) => [key, hash(value)]));
  return { fingerprint: hash(relevant), settingHashes };
}
