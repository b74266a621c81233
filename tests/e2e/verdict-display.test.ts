/**
 * How the extension shows a trained model's verdict, checked with the stand-in engine of
 * `tests/e2e/fake-engine.ts` (every face scores {@link FAKE_ENGINE_PROBABILITY}), because
 * the real classifier may still be untrained. The real engine's path is covered by
 * `extension.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureFaceVideo } from '../../src/demo/sample-videos';
import { startStaticServer, type StaticServer } from '../../src/demo/static-server';
import { HAS_CHROMIUM, launchWithExtension, openPopup, readBadges, readBadgeTexts, tabIdOf, type ExtensionBrowser } from './browser';
import { buildExtension } from './build-extension';
import { FAKE_ENGINE_ACCURACY, FAKE_ENGINE_PROBABILITY } from './fake-engine';
import { videoPage } from './pages';
import { waitForPopup } from './popup-reader';

const WAIT_MS = 30_000;
const PERCENT = `${Math.round(FAKE_ENGINE_PROBABILITY * 100)}%`;

describe.skipIf(!HAS_CHROMIUM)('verdict display with a trained model', () => {
  let site: StaticServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    const extensionDir = await buildExtension('dist-fake-engine', 'tests/e2e/vite.fake-engine.config.ts');
    site = await startStaticServer({
      '/face.webm': { file: ensureFaceVideo(), contentType: 'video/webm' },
      '/face.html': { contentType: 'text/html', body: videoPage('/face.webm') },
    });
    browser = await launchWithExtension({ extensionDir });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  test('popup, badges and toolbar show the verdict', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/face.html`);
    const popup = await openPopup(browser, page);
    const state = await waitForPopup(popup, (current) => current.videos.some((video) => video.framesWithFaces >= 3 && video.text.includes(PERCENT)), WAIT_MS);

    const card = state.videos[0];
    expect(state.notices.some((notice) => notice.includes('not trained'))).toBe(false);
    expect(card.text).toContain(`${PERCENT} · likely manipulated`);
    expect(card.text).toContain(`${(FAKE_ENGINE_ACCURACY * 100).toFixed(1)}% accurate on the validation split of test fixtures`);
    expect(await popup.locator('figure.chart svg polyline').count()).toBe(1);
    expect(await popup.locator('figure.chart figcaption').innerText()).toMatch(/dashed red line: alert threshold \d+%/);

    const badges = await readBadgeTexts(page);
    expect(badges).toHaveLength(1);
    expect(badges[0]).toContain(`${PERCENT} · likely manipulated`);
    expect(badges[0]).toContain("This is a model's estimate");

    // The badge sits 6 px inside the video's top-left corner; a click there opens its details.
    expect((await readBadges(page))[0].className).toBe('badge');
    const video = await page.locator('video').boundingBox();
    if (video === null) throw new Error('e2e: the video has no box');
    await page.mouse.click(video.x + 20, video.y + 14);
    expect((await readBadges(page))[0].className).toBe('badge open');

    const tabId = await tabIdOf(browser, page.url());
    const toolbarText = await browser.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    expect(toolbarText).toBe(PERCENT);
  });
});

if (!HAS_CHROMIUM) {
  console.warn('e2e: verdict display skipped because /usr/bin/chromium is missing; run npm run setup to install it');
}
