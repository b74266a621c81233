/**
 * Launches Debian's Chromium with the built extension for end-to-end tests and the
 * extension benchmark, and reads what the product shows: the popup's DOM and the
 * in-page badges inside their closed shadow roots.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { BackendName } from '../../src/engine/types';
import type { Settings } from '../../src/messages';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** How the extension's engine runs in the browser. */
export type BrowserBackend = 'wasm' | 'webgpu-swiftshader' | 'webgl';

/** Engine backends the extension may pick from, per browser setup. */
export const ENGINE_BACKENDS: Record<BrowserBackend, BackendName[]> = {
  wasm: ['wasm'],
  'webgpu-swiftshader': ['webgpu'],
  webgl: ['webgl'],
};

// WebGPU on a machine without a GPU needs Dawn's Vulkan backend on SwiftShader (software).
const WEBGPU_SWIFTSHADER_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
];

export interface LaunchOptions {
  extensionDir: string;
  /** Backend to force; undefined lets the engine measure every backend the browser offers. */
  backend?: BrowserBackend;
  /** Settings written to `chrome.storage.local` before any page loads. */
  settings?: Partial<Settings>;
  /** Run headed (needs a display). Default false. */
  headed?: boolean;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Closes Chromium and returns the URLs it requested outside 127.0.0.1 and the extension (see {@link externalRequests}). */
  close(): Promise<string[]>;
}

/** Launches Chromium with a fresh profile and the extension from `extensionDir`. */
export async function launchWithExtension(options: LaunchOptions): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'screener-profile-'));
  const logDir = mkdtempSync(join(tmpdir(), 'screener-netlog-'));
  const netLogPath = join(logDir, 'netlog.json');
  const args = [
    `--disable-extensions-except=${options.extensionDir}`,
    `--load-extension=${options.extensionDir}`,
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--autoplay-policy=no-user-gesture-required',
    `--log-net-log=${netLogPath}`,
    ...(options.headed ? [] : ['--headless=new']),
    ...(options.backend === 'webgpu-swiftshader' ? WEBGPU_SWIFTSHADER_ARGS : []),
    ...(options.backend === 'webgl' ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : []),
  ];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    // Playwright's own headless switch starts the old headless shell; extensions need --headless=new.
    headless: false,
    args,
    viewport: { width: 1280, height: 800 },
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const settings = { ...options.settings, ...(options.backend ? { backends: ENGINE_BACKENDS[options.backend] } : {}) };
  await worker.evaluate((stored) => chrome.storage.local.set({ settings: stored }), settings);
  return {
    context,
    worker,
    extensionId,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
      const requests = externalRequests(netLogPath);
      rmSync(logDir, { recursive: true, force: true });
      return requests;
    },
  };
}

/** Tab id of the tab showing `url`, read through the service worker. */
export async function tabIdOf(browser: ExtensionBrowser, url: string): Promise<number> {
  const id = await browser.worker.evaluate(async (target) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === target)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`e2e: no tab shows ${url}`);
  return id;
}

/**
 * Opens the popup for the tab of `page` in a new tab, then brings `page` back to the
 * front, because sampling stops while the video's tab is hidden.
 */
export async function openPopup(browser: ExtensionBrowser, page: Page): Promise<Page> {
  const tabId = await tabIdOf(browser, page.url());
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/src/popup/popup.html?tabId=${tabId}`);
  await page.bringToFront();
  return popup;
}

/** Text of every in-page badge, read through their closed shadow roots with CDP. */
export async function readBadgeTexts(page: Page): Promise<string[]> {
  return (await readBadges(page)).map((badge) => badge.text);
}

/** Text and the badge element's class list of every in-page badge ("badge open" while its details show). */
export async function readBadges(page: Page): Promise<{ text: string; className: string }[]> {
  const session = await page.context().newCDPSession(page);
  try {
    const { root } = (await session.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const badges: { text: string; className: string }[] = [];
    visit(root, (node) => {
      if (!node.attributes?.includes('data-deepfake-screener-badge')) return;
      let className = '';
      visit(node, (child) => {
        const attributes = child.attributes ?? [];
        const index = attributes.indexOf('class');
        if (index >= 0 && attributes[index + 1].startsWith('badge')) className = attributes[index + 1];
      });
      badges.push({ text: collectText(node), className });
    });
    return badges;
  } finally {
    await session.detach();
  }
}

interface DomNode {
  nodeType: number;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function visit(node: DomNode, callback: (node: DomNode) => void): void {
  callback(node);
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) {
    visit(child, callback);
  }
}

function collectText(node: DomNode): string {
  const parts: string[] = [];
  visit(node, (child) => {
    // Style elements carry CSS, not badge text.
    if (child.nodeType === 3 && child.nodeValue && !child.nodeValue.includes('{')) parts.push(child.nodeValue);
  });
  return parts.join(' ').trim();
}

/**
 * URLs that a page or the extension requested, from Chrome's network log, other
 * than 127.0.0.1, the extension's own files and data URLs. Requests Chromium makes
 * for itself (component and extension updates, account checks) carry the initiator
 * "not an origin" and are left out, because no page or extension code caused them.
 * Chrome writes the log completely only when it exits.
 */
export function externalRequests(netLogPath: string): string[] {
  const log = JSON.parse(readFileSync(netLogPath, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: string; initiator?: string } }[];
  };
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const urls = new Set<string>();
  for (const event of log.events) {
    if (event.type !== startJob) continue;
    const url = event.params?.url;
    if (typeof url !== 'string' || event.params?.initiator === 'not an origin') continue;
    if (/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) || url.startsWith('chrome-extension:') || url.startsWith('data:')) continue;
    urls.add(`${url} (from ${event.params?.initiator ?? 'unknown initiator'})`);
  }
  return [...urls];
}
