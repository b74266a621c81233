import type { ScorePoint } from '../messages';

const WIDTH = 240;
const HEIGHT = 40;

/**
 * Fake probability over media time as an SVG polyline; y runs 0 (bottom) to 1 (top).
 * Points without a probability (no face, untrained model) are left out.
 */
export function ScoreChart(props: { history: ScorePoint[]; alertThreshold: number }) {
  const points = props.history.filter((point): point is { timeSeconds: number; fakeProbability: number } => point.fakeProbability !== null);
  if (points.length < 2) return null;
  const start = points[0].timeSeconds;
  const span = Math.max(1e-3, points[points.length - 1].timeSeconds - start);
  const coordinates = points
    .map((point) => `${(((point.timeSeconds - start) / span) * WIDTH).toFixed(1)},${((1 - point.fakeProbability) * HEIGHT).toFixed(1)}`)
    .join(' ');
  const thresholdY = (1 - props.alertThreshold) * HEIGHT;
  const end = start + span;
  return (
    <figure class="chart">
      <div class="chart-body">
        <div class="chart-axis" aria-hidden="true">
          <span>100%</span>
          <span>0%</span>
        </div>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Fake probability over time">
          <line x1="0" x2={WIDTH} y1={thresholdY} y2={thresholdY} stroke="#c62828" stroke-dasharray="3 3" stroke-width="0.8" />
          <polyline points={coordinates} fill="none" stroke="#1565c0" stroke-width="1.5" />
        </svg>
      </div>
      <figcaption>
        Fake probability from {formatSeconds(start)} to {formatSeconds(end)} of the video; dashed red line: alert threshold {Math.round(props.alertThreshold * 100)}%
      </figcaption>
    </figure>
  );
}

function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
