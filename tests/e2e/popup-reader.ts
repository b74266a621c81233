import type { Page } from 'playwright-core';

/** One video as the popup lists it. */
export interface PopupVideo {
  status: string;
  text: string;
  framesAnalysed: number;
  framesWithFaces: number;
  hasThumbnail: boolean;
}

/** Reads the popup's engine line and video cards. */
export async function readPopup(popup: Page): Promise<{ engine: string; notices: string[]; videos: PopupVideo[] }> {
  // The callback declares no named functions, because tsx (esbuild keepNames) would wrap them in a helper the page lacks.
  const raw = await popup.evaluate(() => ({
    engine: (document.querySelector('.engine') as HTMLElement | null)?.innerText.replace(/\n+/g, ' · ') ?? '',
    notices: [...document.querySelectorAll('.notice')].map((notice) => notice.textContent ?? ''),
    videos: [...document.querySelectorAll<HTMLElement>('.video')].map((card) => ({
      status: card.dataset.status ?? '',
      text: card.innerText,
      frames: card.querySelector('.frames')?.textContent ?? '',
      faces: card.querySelector('.faces')?.textContent ?? '',
      hasThumbnail: card.querySelector('img') !== null,
    })),
  }));
  return {
    engine: raw.engine,
    notices: raw.notices,
    videos: raw.videos.map((video) => ({
      status: video.status,
      text: video.text,
      framesAnalysed: Number(/(\d+) frames analysed/.exec(video.frames)?.[1] ?? Number.NaN),
      framesWithFaces: Number(/faces in (\d+) frames/.exec(video.faces)?.[1] ?? Number.NaN),
      hasThumbnail: video.hasThumbnail,
    })),
  };
}

/** Polls the popup until `predicate` holds, or fails with the last popup state. */
export async function waitForPopup(
  popup: Page,
  predicate: (state: Awaited<ReturnType<typeof readPopup>>) => boolean,
  timeoutMs: number,
): Promise<Awaited<ReturnType<typeof readPopup>>> {
  const deadline = Date.now() + timeoutMs;
  let state = await readPopup(popup);
  while (!predicate(state)) {
    if (Date.now() > deadline) {
      throw new Error(`e2e: popup did not reach the expected state within ${timeoutMs} ms; last state: ${JSON.stringify(state)}`);
    }
    await popup.waitForTimeout(250);
    state = await readPopup(popup);
  }
  return state;
}
