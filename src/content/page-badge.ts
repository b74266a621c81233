/**
 * In-page badge over a screened video. It lives in a closed shadow root attached to
 * a host element on `document.documentElement`, so page scripts and page CSS cannot
 * read or restyle it, and it never changes the `<video>` element itself.
 */
import { BAND_LABELS, probabilityBand, scoreTone } from '../engine/bands';
import { STATUS_LABELS, type ModelCardSummary, type VideoResult } from '../messages';

/** Attribute that marks badge hosts, so tests and the content script can find them. */
export const BADGE_HOST_ATTRIBUTE = 'data-deepfake-screener-badge';

const COLORS = { alert: '#c62828', uncertain: '#ef6c00', low: '#1565c0', neutral: '#455a64' } as const;

const STYLE = `
  :host { all: initial; }
  .badge { position: fixed; z-index: 2147483647; font: 12px/1.3 system-ui, sans-serif; color: #fff;
    border-radius: 10px; padding: 3px 8px; cursor: pointer; box-shadow: 0 1px 3px rgba(0,0,0,.4);
    user-select: none; max-width: 320px; }
  .details { display: none; margin-top: 4px; white-space: normal; }
  .open .details { display: block; }
  .note { opacity: .85; font-size: 11px; margin-top: 3px; }
`;

/** Badge content for one video. */
export interface BadgeState {
  result: VideoResult;
  model: ModelCardSummary | null;
  alertThreshold: number;
}

export class PageBadge {
  private readonly host: HTMLElement;
  private readonly badge: HTMLDivElement;
  private readonly summary: HTMLDivElement;
  private readonly details: HTMLDivElement;

  constructor(private readonly video: HTMLVideoElement) {
    this.host = document.createElement('div');
    this.host.setAttribute(BADGE_HOST_ATTRIBUTE, '');
    const shadow = this.host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.badge = document.createElement('div');
    this.badge.className = 'badge';
    this.summary = document.createElement('div');
    this.details = document.createElement('div');
    this.details.className = 'details';
    this.badge.append(this.summary, this.details);
    shadow.append(style, this.badge);
    this.badge.addEventListener('click', () => this.badge.classList.toggle('open'));
    document.documentElement.append(this.host);
  }

  /** Shows `state` and moves the badge to the video's top-left corner. */
  update(state: BadgeState): void {
    const { summary, details, color } = describe(state);
    this.summary.textContent = summary;
    this.details.replaceChildren(...details.map((line) => {
      const element = document.createElement('div');
      element.textContent = line;
      return element;
    }));
    this.badge.style.background = color;
    this.place();
  }

  /** Moves the badge to the video in this frame's viewport (`position: fixed`); hides it while the video has no box. */
  place(): void {
    const rect = this.video.getBoundingClientRect();
    const visible = rect.width > 0 && rect.height > 0 && this.video.isConnected;
    this.badge.style.display = visible ? 'block' : 'none';
    this.badge.style.left = `${Math.max(0, rect.left + 6)}px`;
    this.badge.style.top = `${Math.max(0, rect.top + 6)}px`;
  }

  remove(): void {
    this.host.remove();
  }
}

function describe(state: BadgeState): { summary: string; details: string[]; color: string } {
  const { result, model, alertThreshold } = state;
  const counts = `${result.framesAnalysed} frames analysed, faces in ${result.framesWithFaces}, ${result.facesInLastFrame} in the latest frame.`;
  if (result.status === 'cannot-scan') {
    return { summary: STATUS_LABELS['cannot-scan'], details: [result.reason ?? 'The frames cannot be read.'], color: COLORS.neutral };
  }
  if (result.status === 'no-face' || result.status === 'waiting') {
    return { summary: STATUS_LABELS[result.status], details: [counts], color: COLORS.neutral };
  }
  if (model === null) {
    return {
      summary: `Faces: ${result.facesInLastFrame} · no verdict`,
      details: [counts, 'No trained classifier is installed, so the extension shows no verdict.'],
      color: COLORS.neutral,
    };
  }
  if (result.fakeProbability === null) {
    return { summary: STATUS_LABELS.analysing, details: [counts], color: COLORS.neutral };
  }
  const band = probabilityBand(result.fakeProbability);
  const percent = `${Math.round(result.fakeProbability * 100)}%`;
  const color = COLORS[scoreTone(result.fakeProbability, alertThreshold)];
  const accuracy = model.accuracy === null ? 'no measured accuracy' : `${Math.round(model.accuracy * 100)}% accurate on ${model.testSet ?? 'its held-out data'}`;
  return {
    summary: `${percent} · ${BAND_LABELS[band]}`,
    details: [counts, `This is a model's estimate (${accuracy}), not proof.`],
    color,
  };
}
