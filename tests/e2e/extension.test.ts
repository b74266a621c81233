/**
 * End-to-end tests of the built extension in Debian's Chromium (headless=new), on the
 * WASM backend and on WebGPU over SwiftShader. The suite builds the extension into
 * `dist-e2e/` itself, so no `npm run build` is needed first.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBlackVideo, ensureFaceVideo, ensureFacelessVideo } from '../../src/demo/sample-videos';
import { startStaticServer, type StaticServer } from '../../src/demo/static-server';
import { HAS_CHROMIUM, REPO_ROOT, launchWithExtension, openPopup, readBadgeTexts, type BrowserBackend, type ExtensionBrowser } from './browser';
import { buildExtension } from './build-extension';
import { iframePage, lateShadowVideoPage, videoPage } from './pages';
import { waitForPopup, type PopupVideo } from './popup-reader';

const SHARED_FFPP = join(REPO_ROOT, '../shared/data/ffpp-c40');
const BACKENDS: BrowserBackend[] = ['wasm', 'webgpu-swiftshader'];
/** Time for a condition in the popup; WebGPU on SwiftShader runs far slower than WASM. */
const WAIT_MS: Record<BrowserBackend, number> = { wasm: 45_000, 'webgpu-swiftshader': 120_000, webgl: 60_000 };
/** Frames with faces a face video must reach before the test reads its verdict. */
/** Per-test limit: the popup wait plus page loads and the engine's start-up measurement. */
const TEST_TIMEOUT_MS: Record<BrowserBackend, number> = { wasm: 90_000, 'webgpu-swiftshader': 240_000, webgl: 120_000 };
const FRAMES_WITH_FACES: Record<BrowserBackend, number> = { wasm: 3, 'webgpu-swiftshader': 1, webgl: 3 };

if (!HAS_CHROMIUM) {
  console.warn('e2e: skipped because /usr/bin/chromium is missing; run npm run setup to install it');
}

let extensionDir = '';
let site: StaticServer;
let otherSite: StaticServer;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  extensionDir = await buildExtension('dist-e2e');
  const face = ensureFaceVideo({ seconds: 10 });
  const faceless = ensureFacelessVideo();
  const videos = {
    '/face.webm': { file: face, contentType: 'video/webm' },
    '/faceless.webm': { file: faceless, contentType: 'video/webm' },
    '/black.webm': { file: ensureBlackVideo(), contentType: 'video/webm' },
  };
  site = await startStaticServer(videos);
  otherSite = await startStaticServer(videos);
  site.setRoute('/face.html', { contentType: 'text/html', body: videoPage('/face.webm') });
  site.setRoute('/faceless.html', { contentType: 'text/html', body: videoPage('/faceless.webm') });
  site.setRoute('/black.html', { contentType: 'text/html', body: videoPage('/black.webm') });
  site.setRoute('/late.html', { contentType: 'text/html', body: lateShadowVideoPage('/face.webm', 1500) });
  site.setRoute('/cross-origin.html', { contentType: 'text/html', body: videoPage(`${otherSite.origin}/face.webm`) });
  site.setRoute('/iframe.html', { contentType: 'text/html', body: iframePage(`${otherSite.origin}/face.html`) });
  otherSite.setRoute('/face.html', { contentType: 'text/html', body: videoPage('/face.webm') });
});

afterAll(async () => {
  await site?.close();
  await otherSite?.close();
});

/** Checks that the card shows a verdict with a trained model and the untrained notice otherwise. */
function expectVerdictOrUntrained(notices: string[], video: PopupVideo): void {
  const untrained = notices.some((notice) => notice.includes('not trained'));
  if (untrained) {
    expect(video.text).toContain('No trained classifier is installed');
    expect(video.text).not.toMatch(/\d+% ·/);
    return;
  }
  expect(video.text).toMatch(/\d+% · (no signs detected by this model|uncertain|likely manipulated)/);
  expect(video.text).toContain("This is a model's estimate, not proof");
}

describe.skipIf(!HAS_CHROMIUM).each(BACKENDS)('extension on %s', (backend) => {
  let browser: ExtensionBrowser;
  const openPages: Page[] = [];

  beforeAll(async () => {
    browser = await launchWithExtension({ extensionDir, backend });
  }, TEST_TIMEOUT_MS[backend]);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
  }, TEST_TIMEOUT_MS[backend]);

  async function visit(url: string): Promise<{ page: Page; popup: Page }> {
    for (const open of openPages.splice(0)) await open.close();
    const page = await browser.context.newPage();
    await page.goto(url);
    const popup = await openPopup(browser, page);
    openPages.push(page, popup);
    return { page, popup };
  }

  const hasFaces = (count: number) => (state: { videos: PopupVideo[] }) => state.videos.some((video) => video.framesWithFaces >= count);

  test('face video gets a score and a badge', async () => {
    const { page, popup } = await visit(`${site.origin}/face.html`);
    const state = await waitForPopup(popup, hasFaces(FRAMES_WITH_FACES[backend]), WAIT_MS[backend]);

    const engineBackend = backend === 'wasm' ? 'wasm' : 'webgpu';
    expect(state.engine).toContain(`Backend: ${engineBackend}`);
    expect(state.videos).toHaveLength(1);
    expect(state.videos[0].status).toBe('analysing');
    expect(state.videos[0].hasThumbnail).toBe(true);
    expectVerdictOrUntrained(state.notices, state.videos[0]);

    const badges = await readBadgeTexts(page);
    expect(badges).toHaveLength(1);
    expect(badges[0]).toMatch(/Faces: \d+|\d+% ·/);
  }, TEST_TIMEOUT_MS[backend]);

  test('cross-origin video is scored from screenshots', async () => {
    const { popup } = await visit(`${site.origin}/cross-origin.html`);
    const state = await waitForPopup(popup, hasFaces(1), WAIT_MS[backend]);
    expect(state.videos[0].text).toContain('from tab screenshots');
    expectVerdictOrUntrained(state.notices, state.videos[0]);
  }, TEST_TIMEOUT_MS[backend]);

  test('faceless video shows no face', async () => {
    const { page, popup } = await visit(`${site.origin}/faceless.html`);
    const state = await waitForPopup(popup, (current) => current.videos.some((video) => video.status === 'no-face'), WAIT_MS[backend]);
    expect(state.videos[0].text).toContain('No face');
    expect(state.videos[0].framesWithFaces).toBe(0);
    // The badge may already show a later frame than the popup read, so only the counts of faces are fixed.
    const badges = await readBadgeTexts(page);
    expect(badges).toHaveLength(1);
    expect(badges[0]).toMatch(/^No face \d+ frames analysed, faces in 0, 0 in the latest frame\.$/);
  }, TEST_TIMEOUT_MS[backend]);

  test('black video cannot be scanned', async () => {
    const { page, popup } = await visit(`${site.origin}/black.html`);
    const state = await waitForPopup(popup, (current) => current.videos.some((video) => video.status === 'cannot-scan'), WAIT_MS[backend]);
    expect(state.videos[0].text).toContain('Cannot be scanned');
    expect(state.videos[0].text).not.toMatch(/\d+% ·/);
    expect(state.videos[0].framesAnalysed).toBe(0);
    const badges = await readBadgeTexts(page);
    expect(badges).toHaveLength(1);
    expect(badges[0]).toContain('Cannot be scanned');
  }, TEST_TIMEOUT_MS[backend]);

  test('video added after load is found', async () => {
    const { popup } = await visit(`${site.origin}/late.html`);
    const state = await waitForPopup(popup, hasFaces(1), WAIT_MS[backend]);
    expect(state.videos).toHaveLength(1);
  }, TEST_TIMEOUT_MS[backend]);

  test('video in cross-origin iframe is found', async () => {
    const { popup } = await visit(`${site.origin}/iframe.html`);
    const state = await waitForPopup(popup, hasFaces(1), WAIT_MS[backend]);
    // The video is same-origin inside its frame, so the canvas path reads it.
    expect(state.videos[0].text).not.toContain('from tab screenshots');
  }, TEST_TIMEOUT_MS[backend]);

  // Pausing, settings and the offscreen lifecycle do not depend on the backend, so they run on WASM only.
  test.skipIf(backend !== 'wasm')('pause stops and resume restarts sampling', async () => {
    const { popup } = await visit(`${site.origin}/face.html`);
    await waitForPopup(popup, hasFaces(1), WAIT_MS[backend]);

    await popup.getByRole('button', { name: 'Pause screening' }).click();
    await waitForPopup(popup, (state) => state.notices.some((notice) => notice.includes('paused')), 5_000);
    // A frame already in flight may still land after the pause.
    await popup.waitForTimeout(1_000);
    const pausedCount = (await waitForPopup(popup, () => true, 0)).videos[0].framesAnalysed;
    await popup.waitForTimeout(3_000);
    expect((await waitForPopup(popup, () => true, 0)).videos[0].framesAnalysed).toBe(pausedCount);

    await popup.getByRole('button', { name: 'Resume screening' }).click();
    await waitForPopup(popup, (state) => state.videos[0].framesAnalysed > pausedCount, WAIT_MS[backend]);
  }, TEST_TIMEOUT_MS[backend]);

  test.skipIf(backend !== 'wasm')('badge setting hides badges', async () => {
    const { page, popup } = await visit(`${site.origin}/face.html`);
    await waitForPopup(popup, hasFaces(1), WAIT_MS[backend]);
    expect(await readBadgeTexts(page)).toHaveLength(1);

    await popup.getByRole('checkbox').uncheck();
    const deadline = Date.now() + 5_000;
    while ((await readBadgeTexts(page)).length > 0 && Date.now() < deadline) await page.waitForTimeout(200);
    expect(await readBadgeTexts(page)).toHaveLength(0);
    await popup.getByRole('checkbox').check();
  }, TEST_TIMEOUT_MS[backend]);

  test.skipIf(backend !== 'wasm')('closed offscreen document is recreated', async () => {
    const { popup } = await visit(`${site.origin}/face.html`);
    const before = await waitForPopup(popup, hasFaces(1), WAIT_MS[backend]);
    await browser.worker.evaluate(() => chrome.offscreen.closeDocument());
    const count = before.videos[0].framesAnalysed;
    await waitForPopup(popup, (state) => state.videos[0].framesAnalysed > count + 2, WAIT_MS[backend]);
  }, TEST_TIMEOUT_MS[backend]);

  test('makes no external network request', async () => {
    const requests = await browser.close();
    expect(requests).toEqual([]);
  }, TEST_TIMEOUT_MS[backend]);
});

const ffppVideos = existsSync(SHARED_FFPP)
  ? ['original_sequences/youtube/c40/videos', 'manipulated_sequences/Deepfakes/c40/videos'].flatMap((folder) => {
      const directory = join(SHARED_FFPP, folder);
      if (!existsSync(directory)) return [];
      const names = readdirSync(directory).filter((name) => name.endsWith('.mp4')).slice(0, 1);
      return names.map((name) => ({ name: `${folder.split('/')[1]}/${name}`, file: join(directory, name) }));
    })
  : [];

if (HAS_CHROMIUM && ffppVideos.length === 0) {
  console.warn(`e2e: FF++ videos skipped because ${SHARED_FFPP} is missing`);
}

describe.skipIf(!HAS_CHROMIUM || ffppVideos.length === 0)('extension on FF++ videos', () => {
  test.each(ffppVideos)('$name gets a score', async ({ file }) => {
    const server = await startStaticServer({
      '/video.mp4': { file, contentType: 'video/mp4' },
      '/index.html': { contentType: 'text/html', body: videoPage('/video.mp4') },
    });
    const browser = await launchWithExtension({ extensionDir, backend: 'wasm' });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/index.html`);
      const popup = await openPopup(browser, page);
      const state = await waitForPopup(popup, (current) => current.videos.some((video) => video.framesWithFaces >= 3), WAIT_MS.wasm);
      expectVerdictOrUntrained(state.notices, state.videos[0]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, TEST_TIMEOUT_MS.wasm);
});
