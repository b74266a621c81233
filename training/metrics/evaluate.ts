import { accuracyOf, confusionMatrix, DEFAULT_THRESHOLD, videoLevelScores, type ConfusionMatrix } from './classification';
import { rocAuc } from './roc';

/** Labels, videos and methods of the scored faces (a subset of `FaceDataset`). */
export interface ScoredSet {
  labels: ArrayLike<number>;
  videoIds: string[];
  methods: string[];
}

/** Metrics of one method: its fakes against all reals of the set. */
export interface MethodMetrics {
  /** Fake faces of this method. */
  faces: number;
  /** Fake videos of this method. */
  videos: number;
  /** Share of this method's fake faces classified fake (the recall on them). */
  frameDetectionRate: number;
  frameAuc: number;
  videoAuc: number;
}

/** Every metric of one evaluation; AUCs are NaN where a class is missing. */
export interface EvaluationReport {
  faces: number;
  videos: number;
  threshold: number;
  frameAccuracy: number;
  frameAuc: number;
  videoAccuracy: number;
  /** Area under the ROC curve of the mean frame score per video. */
  videoAuc: number;
  confusion: ConfusionMatrix;
  /** Keyed by manipulation method; reals have no entry. */
  perMethod: Record<string, MethodMetrics>;
}

/** Computes frame- and video-level metrics, overall and per manipulation method. */
export function evaluateScores(scores: ArrayLike<number>, set: ScoredSet, threshold: number = DEFAULT_THRESHOLD): EvaluationReport {
  const confusion = confusionMatrix(scores, set.labels, threshold);
  const videos = videoLevelScores(scores, set.labels, set.videoIds, set.methods);
  const perMethod: Record<string, MethodMetrics> = {};

  const fakeMethods = [...new Set(set.methods.filter((_, i) => set.labels[i] === 1))].sort();
  for (const method of fakeMethods) {
    const frames = selectForMethod(scores, set.labels, set.methods, method);
    const videoSubset = selectForMethod(videos.scores, videos.labels, videos.methods, method);
    let detected = 0;
    let faces = 0;
    for (let i = 0; i < frames.scores.length; i++) {
      if (frames.labels[i] !== 1) continue;
      faces += 1;
      detected += frames.scores[i] >= threshold ? 1 : 0;
    }
    perMethod[method] = {
      faces,
      videos: videoSubset.labels.filter((label) => label === 1).length,
      frameDetectionRate: faces === 0 ? NaN : detected / faces,
      frameAuc: rocAuc(frames.scores, frames.labels),
      videoAuc: rocAuc(videoSubset.scores, videoSubset.labels),
    };
  }

  return {
    faces: scores.length,
    videos: videos.scores.length,
    threshold,
    frameAccuracy: accuracyOf(confusion),
    frameAuc: rocAuc(scores, set.labels),
    videoAccuracy: accuracyOf(confusionMatrix(videos.scores, videos.labels, threshold)),
    videoAuc: rocAuc(videos.scores, videos.labels),
    confusion,
    perMethod,
  };
}

/** Keeps the reals and the fakes of one method. */
function selectForMethod(scores: ArrayLike<number>, labels: ArrayLike<number>, methods: string[], method: string): { scores: number[]; labels: number[] } {
  const selected = { scores: [] as number[], labels: [] as number[] };
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] === 1 && methods[i] !== method) continue;
    selected.scores.push(scores[i]);
    selected.labels.push(labels[i]);
  }
  return selected;
}
