import { BAND_LABELS, probabilityBand } from '../engine/bands';
import { STATUS_LABELS, type ModelCardSummary, type VideoRecord } from '../messages';
import { ScoreChart } from './ScoreChart';

/** Formats the model's accuracy as one sentence, so a probability never appears without it. */
function caveat(model: ModelCardSummary): string {
  const accuracy =
    model.accuracy === null
      ? 'its accuracy has not been measured'
      : `it was ${(model.accuracy * 100).toFixed(1)}% accurate on ${model.testSet ?? 'its test set'}`;
  return `This is a model's estimate, not proof: ${accuracy}.`;
}

function Verdict(props: { video: VideoRecord; model: ModelCardSummary | null; engineReady: boolean }) {
  const { video, model, engineReady } = props;
  if (video.status === 'cannot-scan') return <div class="verdict">{video.reason ?? 'The frames of this video cannot be read.'}</div>;
  // Until the engine has loaded, the model is unknown rather than missing.
  if (!engineReady) return null;
  if (model === null) {
    return <div class="verdict untrained">No trained classifier is installed, so no verdict is shown.</div>;
  }
  if (video.fakeProbability === null) return null;
  const band = probabilityBand(video.fakeProbability);
  return (
    <div class="verdict">
      <span class={`probability band-${band}`}>
        {Math.round(video.fakeProbability * 100)}% · {BAND_LABELS[band]}
      </span>
      <div class="caveat">{caveat(model)}</div>
    </div>
  );
}

/** Renders one video of the tab: thumbnail, state, verdict, chart and counts. */
export function VideoCard(props: { video: VideoRecord; model: ModelCardSummary | null; engineReady: boolean; alertThreshold: number }) {
  const { video, model, engineReady, alertThreshold } = props;
  return (
    <div class="video" data-video-id={video.videoId} data-status={video.status}>
      {video.thumbnail ? <img src={video.thumbnail} alt="Video frame" /> : <div class="placeholder" />}
      <div>
        <div class="state">{STATUS_LABELS[video.status]}{video.source === 'tab-capture' ? ' (from tab screenshots)' : ''}</div>
        <Verdict video={video} model={model} engineReady={engineReady} />
        <ScoreChart history={video.history} alertThreshold={alertThreshold} />
        <div class="meta">
          <span class="frames">{video.framesAnalysed} frames analysed</span>
          {' · '}
          <span class="faces">faces in {video.framesWithFaces} frames, {video.facesInLastFrame} in the latest</span>
        </div>
      </div>
    </div>
  );
}
