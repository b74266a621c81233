import type { ScorePoint } from '../messages';

const WIDTH = 240;
const HEIGHT = 40;

/**
 * Fake probability of the analysed frames in the order they were analysed, as an SVG polyline;
 * y runs 0 (bottom) to 1 (top). Order rather than media time is the x axis, because a looping or
 * seeking video repeats its media times. Points without a probability (no face, untrained model)
 * are left out.
 */
export function ScoreChart(props: { history: ScorePoint[]; alertThreshold: number }) {
  const points = props.history.filter((point): point is { timeSeconds: number; fakeProbability: number } => point.fakeProbability !== null);
  if (points.length < 2) return null;
  const coordinates = points
    .map((point, i) => `${((i / (points.length - 1)) * WIDTH).toFixed(1)},${((1 - point.fakeProbability) * HEIGHT).toFixed(1)}`)
    .join(' ');
  const thresholdY = (1 - props.alertThreshold) * HEIGHT;
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
        Fake probability of the last {points.length} analysed frames, oldest at the left; dashed red line: alert threshold {Math.round(props.alertThreshold * 100)}%
      </figcaption>
    </figure>
  );
}

