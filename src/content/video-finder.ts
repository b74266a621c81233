/**
 * Finds every `<video>` of a document, including those inside open shadow roots, and
 * reports added and removed ones. A MutationObserver reports insertions into observed
 * trees, but `attachShadow` fires no mutation, so a slow periodic rescan catches
 * shadow roots attached after their host was inserted.
 */

/** Callbacks for videos entering and leaving the document. */
export interface VideoFinderCallbacks {
  added(video: HTMLVideoElement): void;
  removed(video: HTMLVideoElement): void;
}

/** Minimum time between two rescans triggered by mutations, milliseconds. */
const MUTATION_RESCAN_DELAY_MS = 200;
/** Period of the fallback rescan for late shadow roots, milliseconds. */
const PERIODIC_RESCAN_MS = 2000;

/** Collects videos under `root`, descending into every open shadow root. */
export function collectVideos(root: Document | ShadowRoot, found: Set<HTMLVideoElement>, roots: Set<ShadowRoot>): void {
  for (const video of root.querySelectorAll('video')) found.add(video);
  for (const element of root.querySelectorAll('*')) {
    const shadow = element.shadowRoot;
    if (shadow === null) continue;
    roots.add(shadow);
    collectVideos(shadow, found, roots);
  }
}

export class VideoFinder {
  private readonly known = new Set<HTMLVideoElement>();
  private readonly observedRoots = new Set<Node>();
  private readonly observer = new MutationObserver(() => this.scheduleScan());
  private scanTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly interval: ReturnType<typeof setInterval>;

  constructor(
    private readonly document: Document,
    private readonly callbacks: VideoFinderCallbacks,
  ) {
    this.observe(document);
    this.scan();
    this.interval = setInterval(() => this.scan(), PERIODIC_RESCAN_MS);
  }

  /** Compares the current videos with the known ones and reports the difference. */
  scan(): void {
    const found = new Set<HTMLVideoElement>();
    const roots = new Set<ShadowRoot>();
    collectVideos(this.document, found, roots);
    for (const root of roots) this.observe(root);

    for (const video of found) {
      if (this.known.has(video)) continue;
      this.known.add(video);
      this.callbacks.added(video);
    }
    for (const video of this.known) {
      if (found.has(video)) continue;
      this.known.delete(video);
      this.callbacks.removed(video);
    }
  }

  stop(): void {
    this.observer.disconnect();
    clearInterval(this.interval);
    if (this.scanTimer !== null) clearTimeout(this.scanTimer);
  }

  private observe(root: Node): void {
    if (this.observedRoots.has(root)) return;
    this.observedRoots.add(root);
    this.observer.observe(root, { childList: true, subtree: true });
  }

  private scheduleScan(): void {
    if (this.scanTimer !== null) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = null;
      this.scan();
    }, MUTATION_RESCAN_DELAY_MS);
  }
}
