import { BAND_LABELS, probabilityBand } from '../engine/bands';
import type { BackendReport } from '../engine/backend';
import type { ModelCard } from '../engine/classifier';
import type { ScanResult } from './scan-file';

/** Formats one line naming the classifier, its training data and its measured metrics, or saying there is none. */
export function formatModel(card: ModelCard | null): string {
  if (!card) {
    return 'Model: no trained classifier is installed, so no fake probability is reported; faces are still detected.';
  }
  const datasets = card.datasets.map((dataset) => dataset.name).join(', ') || 'unstated data';
  const metrics = card.metrics
    ? `; ${card.metrics.split} AUC ${card.metrics.auc.toFixed(3)} per face${videoAucText(card.metrics)}, accuracy ${(card.metrics.accuracy * 100).toFixed(1)} % on ${card.metrics.faces} faces`
    : '; no measured metrics';
  return `Model: ${card.name} ${card.version} (${card.loss} loss, trained on ${datasets}${metrics})`;
}

function videoAucText(metrics: NonNullable<ModelCard['metrics']>): string {
  if (metrics.videoAuc === undefined || !Number.isFinite(metrics.videoAuc)) return '';
  return ` and ${metrics.videoAuc.toFixed(3)} per video${metrics.videos === undefined ? '' : ` (${metrics.videos} videos or images)`}`;
}

export function formatBackend(report: BackendReport): string {
  const timings = report.timings.map((timing) => (timing.msPerFrame === null ? `${timing.name} unavailable` : `${timing.name} ${timing.msPerFrame.toFixed(1)} ms`)).join(', ');
  return `Backend: ${report.name} (start-up probe: ${timings})`;
}

/** Formats a fixed-width table with one row per file. */
export function formatTable(results: ScanResult[], classifierLoaded: boolean): string {
  const header = ['File', 'Frames', 'With faces', 'Faces', 'Fake probability', 'Assessment'];
  const rows = results.map((result) => formatRow(result, classifierLoaded));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function formatRow(result: ScanResult, classifierLoaded: boolean): string[] {
  const faces = result.frames.reduce((sum, frame) => sum + frame.faces.length, 0);
  const counts = [String(result.verdict.framesSampled), String(result.verdict.framesWithFaces), String(faces)];
  if (result.error) {
    return [result.file, ...counts, '-', 'could not be read'];
  }
  if (result.verdict.framesWithFaces === 0) {
    return [result.file, ...counts, '-', 'no face found'];
  }
  const probability = result.verdict.fakeProbability;
  if (!classifierLoaded || probability === null) {
    return [result.file, ...counts, '-', 'faces found; no classifier'];
  }
  return [result.file, ...counts, `${(probability * 100).toFixed(1)} %`, BAND_LABELS[probabilityBand(probability)]];
}
