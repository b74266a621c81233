/**
 * `npm start`: builds the extension into dist/, makes the demo video, serves the demo
 * page on 127.0.0.1 and opens Chromium with the extension loaded on it. With a
 * display (DISPLAY or WAYLAND_DISPLAY set) Chromium opens a window; without one it
 * runs headless and prints what the popup shows every few seconds. Ctrl+C stops both.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureFaceVideo } from '../src/demo/sample-videos';
import { startStaticServer } from '../src/demo/static-server';
import { HAS_CHROMIUM, REPO_ROOT, launchWithExtension, openPopup, type BrowserBackend } from '../tests/e2e/browser';
import { buildExtension } from '../tests/e2e/build-extension';
import { readPopup } from '../tests/e2e/popup-reader';

const DEFAULT_PORT = 8620;
const STATUS_INTERVAL_MS = 3000;
const BACKENDS: BrowserBackend[] = ['wasm', 'webgpu-swiftshader', 'webgl'];

function parsePort(): number {
  const value = process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`npm start: PORT=${value} is not a valid TCP port; use a number from 0 to 65535`);
  }
  return port;
}

function parseBackend(): BrowserBackend | undefined {
  const value = process.env.SCREENER_BACKEND;
  if (value === undefined || value === '') return undefined;
  if (!BACKENDS.includes(value as BrowserBackend)) {
    throw new Error(`npm start: SCREENER_BACKEND=${value} is unknown; use one of ${BACKENDS.join(', ')} or leave it unset to measure all`);
  }
  return value as BrowserBackend;
}

async function main(): Promise<void> {
  if (!HAS_CHROMIUM) throw new Error('npm start: /usr/bin/chromium is missing; run npm run setup to install it');
  const port = parsePort();
  const backend = parseBackend();
  const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

  console.log('Building the extension into dist/ …');
  const extensionDir = await buildExtension('dist');
  console.log('Making the demo video (cached in .cache/videos/) …');
  const video = ensureFaceVideo();

  const server = await startStaticServer(
    {
      '/': { contentType: 'text/html', body: readFileSync(resolve(REPO_ROOT, 'src/demo/index.html'), 'utf8') },
      '/face.webm': { contentType: 'video/webm', file: video },
    },
    port,
  );
  console.log(`Demo page: ${server.origin}/`);

  const browser = await launchWithExtension({ extensionDir, backend, headed });
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/`);

  const stop = async (): Promise<void> => {
    await browser.close().catch(() => undefined);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  browser.context.on('close', () => void stop());

  if (headed) {
    console.log('Chromium is open with the extension; click its toolbar icon for the popup. Ctrl+C stops.');
    return;
  }
  console.log('No display found, so Chromium runs headless; the popup state follows. Ctrl+C stops.');
  const popup = await openPopup(browser, page);
  setInterval(() => {
    readPopup(popup)
      .then((state) => {
        const videos = state.videos.map((entry) => entry.text.replace(/\s+/g, ' ')).join(' | ');
        console.log(`${state.engine} — ${videos || 'no video yet'}`);
      })
      .catch((error: unknown) => console.error('npm start: reading the popup failed', error));
  }, STATUS_INTERVAL_MS);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
