/**
 * `npm run bench:extension`: runs the built extension in headless Chromium on a 720p
 * single-face video and measures, per backend, the time from `play()` to the first
 * analysed frame in the extension's state and the analysed frames per second. It also
 * times the frame transport. Prints Markdown for the "Extension" section of
 * docs/benchmarks.md.
 *
 * Usage: npm run bench:extension [-- --backends wasm,webgpu-swiftshader,webgl --seconds 10]
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { ensureFaceVideo } from '../src/demo/sample-videos';
import { startStaticServer, type StaticServer } from '../src/demo/static-server';
import type { AnalyzeFrameResponse, EngineStatus, TabRecord } from '../src/messages';
import { HAS_CHROMIUM, launchWithExtension, tabIdOf, type BrowserBackend, type ExtensionBrowser } from '../tests/e2e/browser';
import { buildExtension } from '../tests/e2e/build-extension';

const ALL_BACKENDS: BrowserBackend[] = ['wasm', 'webgpu-swiftshader', 'webgl'];
const ENGINE_START_TIMEOUT_MS = 180_000;
const FIRST_SCORE_TIMEOUT_MS = 120_000;
const POLL_MS = 25;
const TRANSPORT_REPEATS = 15;

interface BackendResult {
  backend: BrowserBackend;
  engine: string;
  firstScoreMs: number | null;
  framesPerSecond: number | null;
  error?: string;
}

interface TransportResult {
  frameSize: string;
  dataUrlKiB: number;
  encodeMs: number;
  messageRoundTripMs: number;
  engineMs: number;
  bitmapTransferMs: number;
}

function parseArguments(): { backends: BrowserBackend[]; seconds: number } {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const backends = (value('--backends')?.split(',') ?? ALL_BACKENDS) as BrowserBackend[];
  for (const backend of backends) {
    if (!ALL_BACKENDS.includes(backend)) throw new Error(`bench:extension: unknown backend ${backend}; use ${ALL_BACKENDS.join(', ')}`);
  }
  const seconds = Number(value('--seconds') ?? 10);
  if (!(seconds > 0)) throw new Error(`bench:extension: --seconds ${value('--seconds')} must be a positive number`);
  return { backends, seconds };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function readEngine(browser: ExtensionBrowser): Promise<EngineStatus | null> {
  return browser.worker.evaluate(async () => ((await chrome.storage.session.get('engine')).engine as EngineStatus | undefined) ?? null);
}

async function framesAnalysed(browser: ExtensionBrowser, tabId: number): Promise<number> {
  return browser.worker.evaluate(async (id) => {
    const tab = (await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`] as TabRecord | undefined;
    return Object.values(tab?.videos ?? {}).reduce((sum, video) => sum + video.framesAnalysed, 0);
  }, tabId);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Measures one backend: engine start, play-to-first-score and analysed frames per second. */
async function measureBackend(extensionDir: string, site: StaticServer, backend: BrowserBackend, seconds: number): Promise<BackendResult> {
  const browser = await launchWithExtension({ extensionDir, backend, settings: { sampleEveryNthFrame: 1 } });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/paused.html`);
    const tabId = await tabIdOf(browser, page.url());
    const engine = await waitFor(() => readEngine(browser), (status) => status?.state === 'ready' || status?.state === 'failed', ENGINE_START_TIMEOUT_MS, 'the engine');
    if (engine?.state !== 'ready') return { backend, engine: 'failed', firstScoreMs: null, framesPerSecond: null, error: engine?.error };
    const engineLine = `${engine.backend} (probe ${engine.timings.map((timing) => timing.msPerFrame?.toFixed(0) ?? '—').join('/')} ms)`;

    const playedAt = Date.now();
    await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).play());
    await waitFor(() => framesAnalysed(browser, tabId), (count) => count >= 1, FIRST_SCORE_TIMEOUT_MS, 'the first analysed frame');
    const firstScoreMs = Date.now() - playedAt;

    const startCount = await framesAnalysed(browser, tabId);
    const startTime = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const framesPerSecond = ((await framesAnalysed(browser, tabId)) - startCount) / ((Date.now() - startTime) / 1000);
    return { backend, engine: engineLine, firstScoreMs, framesPerSecond };
  } catch (error) {
    return { backend, engine: 'error', firstScoreMs: null, framesPerSecond: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await browser.close();
  }
}

/**
 * Times the frame transport on WASM. Encoding and the ImageBitmap transfer run in the
 * page's main world on the same `<video>`, because those are the content-side costs.
 * The runtime message goes from an extension tab to the offscreen document, which is
 * the same cross-process hop a content script's message takes. The round trip
 * excludes the engine time that the offscreen document reports.
 */
async function measureTransport(extensionDir: string, site: StaticServer): Promise<TransportResult> {
  const browser = await launchWithExtension({ extensionDir, backend: 'wasm', settings: { sampleEveryNthFrame: 1000 } });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/paused.html`);
    const tabId = await tabIdOf(browser, page.url());
    await waitFor(() => readEngine(browser), (status) => status?.state === 'ready', ENGINE_START_TIMEOUT_MS, 'the engine');
    const encoded = await encodeInPage(page);
    const bitmapTransferMs = await transferBitmapInPage(page, `${site.origin}/sink.html`);

    const sender = await browser.context.newPage();
    await sender.goto(`chrome-extension://${browser.extensionId}/src/popup/popup.html?tabId=${tabId}`);
    const trips: { totalMs: number; engineMs: number }[] = await sender.evaluate(
      async ({ dataUrl, repeats, tab }) => {
        const results: { totalMs: number; engineMs: number }[] = [];
        for (let i = 0; i < repeats; i++) {
          const started = performance.now();
          const response = (await chrome.runtime.sendMessage({
            type: 'analyze-frame',
            target: 'offscreen',
            videoId: 'transport-bench',
            pageUrl: 'bench',
            tabId: tab,
            frame: { dataUrl, frameIndex: i, timeSeconds: i / 30 },
          })) as AnalyzeFrameResponse;
          results.push({ totalMs: performance.now() - started, engineMs: response.engineMs ?? Number.NaN });
        }
        return results;
      },
      { dataUrl: encoded.dataUrl, repeats: TRANSPORT_REPEATS, tab: tabId },
    );
    return {
      frameSize: encoded.size,
      dataUrlKiB: encoded.dataUrl.length / 1024,
      encodeMs: encoded.encodeMs,
      messageRoundTripMs: median(trips.map((trip) => trip.totalMs - trip.engineMs)),
      engineMs: median(trips.map((trip) => trip.engineMs)),
      bitmapTransferMs,
    };
  } finally {
    await browser.close();
  }
}

async function encodeInPage(page: Page): Promise<{ dataUrl: string; encodeMs: number; size: string }> {
  return page.evaluate(async (repeats) => {
    const video = document.getElementById('video') as HTMLVideoElement;
    if (video.readyState < 2) await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    const durations: number[] = [];
    let dataUrl = '';
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      dataUrl = canvas.toDataURL('image/jpeg', 0.85);
      durations.push(performance.now() - started);
    }
    durations.sort((a, b) => a - b);
    return { dataUrl, encodeMs: durations[Math.floor(durations.length / 2)], size: `${canvas.width}x${canvas.height}` };
  }, TRANSPORT_REPEATS);
}

/** Median time to make a 640 px ImageBitmap of the video and transfer it over a MessageChannel to a cross-origin iframe and back an acknowledgement. */
async function transferBitmapInPage(page: Page, sinkUrl: string): Promise<number> {
  return page.evaluate(
    async ({ url, repeats }) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      const channel = new MessageChannel();
      frame.contentWindow?.postMessage('port', '*', [channel.port2]);
      const video = document.getElementById('video') as HTMLVideoElement;
      const durations: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        const bitmap = await createImageBitmap(video, { resizeWidth: 640, resizeHeight: 360 });
        const acknowledged = new Promise((resolve) => (channel.port1.onmessage = resolve));
        channel.port1.postMessage(bitmap, [bitmap]);
        await acknowledged;
        durations.push(performance.now() - started);
      }
      durations.sort((a, b) => a - b);
      return durations[Math.floor(durations.length / 2)];
    },
    { url: sinkUrl, repeats: TRANSPORT_REPEATS },
  );
}

function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop() ?? '';
  // The load average shows how much other work shared the CPU during the run.
  const load = loadavg().map((value) => value.toFixed(1)).join(' / ');
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load average ${load} (1/5/15 min) at the end, ${chromium}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC`;
}

function formatNumber(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits);
}

async function main(): Promise<void> {
  if (!HAS_CHROMIUM) throw new Error('bench:extension: /usr/bin/chromium is missing; run npm run setup to install it');
  const { backends, seconds } = parseArguments();
  const extensionDir = await buildExtension('dist-bench');
  const video = ensureFaceVideo({ width: 1280, height: 720, seconds: 30 });
  const site = await startStaticServer({
    '/face.webm': { file: video, contentType: 'video/webm' },
    '/paused.html': {
      contentType: 'text/html',
      body: '<!doctype html><body><video id="video" src="/face.webm" muted loop playsinline preload="auto" width="640" height="360"></video></body>',
    },
    '/sink.html': {
      contentType: 'text/html',
      body: '<!doctype html><script>onmessage = (event) => { const port = event.ports[0]; port.onmessage = (m) => { m.data.close(); port.postMessage(1); }; };</script>',
    },
  });
  try {
    const results: BackendResult[] = [];
    for (const backend of backends) {
      console.error(`bench:extension: measuring ${backend} …`);
      results.push(await measureBackend(extensionDir, site, backend, seconds));
    }
    console.error('bench:extension: measuring the frame transport …');
    const transport = await measureTransport(extensionDir, site);

    console.log(`Command: \`npm run bench:extension -- --backends ${backends.join(',')} --seconds ${seconds}\``);
    console.log(`Machine: ${describeMachine()}`);
    console.log('Video: 1280x720 VP8, 30 fps, one face; every presented frame offered (sampleEveryNthFrame = 1), frames dropped while the engine is busy.\n');
    console.log('| Backend | Engine (start-up probe) | Play to first analysed frame (ms) | Analysed frames/s |');
    console.log('| --- | --- | ---: | ---: |');
    for (const result of results) {
      const engine = result.error ? `${result.engine}: ${result.error}` : result.engine;
      console.log(`| ${result.backend} | ${engine} | ${formatNumber(result.firstScoreMs, 0)} | ${formatNumber(result.framesPerSecond, 2)} |`);
    }
    console.log('\nFrame transport (WASM run, medians of 15):\n');
    console.log('| Step | Value |');
    console.log('| --- | ---: |');
    console.log(`| Frame size sent | ${transport.frameSize} |`);
    console.log(`| JPEG data URL size (KiB) | ${transport.dataUrlKiB.toFixed(0)} |`);
    console.log(`| Draw + JPEG encode in the page (ms) | ${transport.encodeMs.toFixed(1)} |`);
    console.log(`| runtime message round trip + decode in offscreen, engine time excluded (ms) | ${transport.messageRoundTripMs.toFixed(1)} |`);
    console.log(`| Engine time per frame in that run (ms) | ${transport.engineMs.toFixed(1)} |`);
    console.log(`| ImageBitmap (640x360) transfer over MessageChannel to an iframe and back (ms) | ${transport.bitmapTransferMs.toFixed(1)} |`);
  } finally {
    await site.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
