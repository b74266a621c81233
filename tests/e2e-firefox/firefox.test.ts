/**
 * End-to-end test of the Firefox build in Debian's firefox-esr: the extension scores a face
 * video on a page served on 127.0.0.1, and its options page imports a model export. Skips when
 * firefox-esr is missing (`npm run setup` installs it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureFaceVideo } from '../../src/demo/sample-videos';
import { startStaticServer, type StaticServer } from '../../src/demo/static-server';
import type { EngineStatus, TabRecord, VideoRecord } from '../../src/messages';
import { buildFirefox } from '../../scripts/build-firefox';
import { makeTinyExport, useWasm } from '../model-store-helpers';
import { HAS_FIREFOX, exposeExtensionPages, launchFirefox, openExtensionPage, waitUntil, type FirefoxWithExtension } from './firefox-driver';

/** Time for the engine to start and analyse three frames with faces on WASM in headless Firefox. */
const SCORE_TIMEOUT_MS = 90_000;
const FRAMES_WITH_FACES = 3;
const IMPORT_TIMEOUT_MS = 60_000;

if (!HAS_FIREFOX) {
  console.warn('e2e-firefox: skipped because /usr/bin/firefox-esr is missing; run npm run setup to install it');
}

describe.skipIf(!HAS_FIREFOX)('Firefox extension', () => {
  let firefox: FirefoxWithExtension;
  let site: StaticServer;
  let workDir: string;

  beforeAll(async () => {
    const extensionDir = await buildFirefox('dist-firefox-e2e');
    exposeExtensionPages(extensionDir);
    const video = ensureFaceVideo({ width: 640, height: 360, seconds: 10 });
    site = await startStaticServer({ '/face.webm': { file: video, contentType: 'video/webm' } });
    site.setRoute('/face.html', {
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Face</title></head><body><video src="/face.webm" autoplay muted loop playsinline width="640" height="360"></video></body></html>',
    });
    site.setRoute('/blank.html', { contentType: 'text/html', body: '<!doctype html><title>blank</title>' });
    workDir = await mkdtemp(join(tmpdir(), 'e2e-firefox-'));
    firefox = await launchFirefox(extensionDir);
  });

  afterAll(async () => {
    await firefox?.browser.close();
    await site?.close();
    if (workDir !== undefined) {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  async function readSession(viewer: Page): Promise<{ engine: EngineStatus | null; video: VideoRecord | null; tabId: number | null }> {
    return viewer.evaluate(async () => {
      const api = (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser;
      const all = (await api.storage.session.get(null)) as Record<string, unknown>;
      // Every navigated tab gets a record, so pick the one that contains a video.
      const tabKey = Object.keys(all).find((key) => key.startsWith('tab:') && Object.keys((all[key] as TabRecord).videos).length > 0);
      const tab = tabKey === undefined ? null : (all[tabKey] as TabRecord);
      const video = tab === null ? null : (Object.values(tab.videos)[0] ?? null);
      return { engine: (all.engine as EngineStatus | undefined) ?? null, video, tabId: tabKey === undefined ? null : Number(tabKey.slice(4)) };
    });
  }

  test('scores a face video', async () => {
    const viewer = await openExtensionPage(firefox.browser, `${site.origin}/blank.html`, `${firefox.extensionOrigin}/src/popup/popup.html`);
    const page = await firefox.browser.newPage();
    await page.goto(`${site.origin}/face.html`);
    // requestVideoFrameCallback only fires for a rendered video, so the video tab must be in front.
    await page.bringToFront();

    let state = await readSession(viewer);
    await waitUntil(
      async () => {
        state = await readSession(viewer);
        return (state.video?.framesWithFaces ?? 0) >= FRAMES_WITH_FACES;
      },
      SCORE_TIMEOUT_MS,
      `${FRAMES_WITH_FACES} frames with faces (last state: ${JSON.stringify({ engine: state.engine?.state, error: state.engine?.error, video: state.video?.status, frames: state.video?.framesAnalysed })})`,
    );

    expect(state.engine?.state).toBe('ready');
    expect(state.engine?.backend).toBe('wasm');
    expect(state.video?.source).toBe('canvas');
    expect(state.video?.facesInLastFrame).toBe(1);
    if (state.engine?.model === null) {
      // Without a trained bundled classifier the engine detects faces but gives no probability.
      expect(state.video?.fakeProbability).toBeNull();
    } else {
      expect(state.video?.fakeProbability).toBeGreaterThanOrEqual(0);
      expect(state.video?.fakeProbability).toBeLessThanOrEqual(1);
    }

    // The popup for the video's tab, as a user opens it.
    await viewer.evaluate((url) => {
      location.href = url;
    }, `${firefox.extensionOrigin}/src/popup/popup.html?tabId=${state.tabId}`);
    let popupText = '';
    await waitUntil(
      async () => {
        popupText = await viewer.evaluate(() => document.body.innerText);
        return popupText.includes('Backend') && popupText.includes('faces in');
      },
      10_000,
      'the popup to show the engine and the video',
    );
    expect(popupText).toContain('wasm');
    expect(popupText).toMatch(/faces in \d+ frames, 1 in the latest/);
    if (state.engine?.model === null) {
      expect(popupText).toContain('No trained classifier is installed');
    } else {
      expect(popupText).toMatch(/\d+(\.\d)?%/);
    }
  });

  test('options page imports a model', async () => {
    await useWasm();
    const files = await makeTinyExport();
    const archive = zipSync(Object.fromEntries([...files].map(([name, bytes]) => [`export/${name}`, bytes])));
    const zipPath = join(workDir, 'tiny-export.zip');
    await writeFile(zipPath, archive);

    const options = await openExtensionPage(firefox.browser, `${site.origin}/blank.html`, `${firefox.extensionOrigin}/src/options/options.html`);
    await waitUntil(async () => options.evaluate(() => document.querySelectorAll('table.models tbody tr').length === 1), 20_000, 'the model list');
    const input = await options.$('input[type=file]');
    if (input === null) {
      throw new Error('options page: no file input');
    }
    await input.uploadFile(zipPath);
    await options.evaluate(() => (document.querySelector('form.import button[type=submit]') as HTMLButtonElement).click());

    let status = '';
    await waitUntil(
      async () => {
        status = await options.evaluate(() => document.querySelector('.status')?.textContent ?? '');
        return status.startsWith('Imported') || document.querySelector('[role=alert]') !== null;
      },
      IMPORT_TIMEOUT_MS,
      'the import to finish',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; status: ${status}`);
    });

    expect(status).toContain('Imported tiny-test-model 0.0.1');
    const activeName = await options.evaluate(() => document.querySelector('table.models tr.active strong')?.textContent);
    expect(activeName).toBe('tiny-test-model');
    const published = await options.evaluate(async () => {
      const api = (globalThis as unknown as { browser: typeof import('webextension-polyfill') }).browser;
      return (await api.storage.local.get('activeModel')).activeModel as { label: string } | undefined;
    });
    expect(published?.label).toBe('tiny-test-model 0.0.1');
  });
});
