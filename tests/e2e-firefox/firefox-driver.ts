/**
 * Starts Debian's firefox-esr over WebDriver BiDi (puppeteer-core) with the Firefox build
 * installed as a temporary add-on, and opens extension pages in tabs.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';
export const HAS_FIREFOX = existsSync(FIREFOX_PATH);

/** Gecko id from `manifest.firefox.json`. */
const EXTENSION_ID = 'deepfake-screener@example.org';

export interface FirefoxWithExtension {
  browser: Browser;
  /** Origin of the extension's pages, `moz-extension://<uuid>`. */
  extensionOrigin: string;
}

/**
 * Lets pages on 127.0.0.1 open the popup and options page. Firefox's BiDi refuses to navigate
 * a tab to a moz-extension:// URL, so the test opens them from a served page, which needs them
 * web-accessible. Only the test build gets this entry.
 */
export function exposeExtensionPages(extensionDir: string): void {
  const path = join(extensionDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  manifest.web_accessible_resources = [{ resources: ['src/popup/popup.html', 'src/options/options.html'], matches: ['http://127.0.0.1/*'] }];
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}

/** Launches headless firefox-esr and installs the extension folder temporarily. */
export async function launchFirefox(extensionDir: string): Promise<FirefoxWithExtension> {
  // A fixed internal UUID makes the extension's page URLs known before install.
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [EXTENSION_ID]: uuid }) },
  });
  try {
    const installed = await browser.installExtension(extensionDir);
    if (installed !== EXTENSION_ID) {
      throw new Error(`Firefox installed the extension as ${installed}, expected ${EXTENSION_ID}; update EXTENSION_ID to match manifest.firefox.json`);
    }
  } catch (error) {
    await browser.close();
    throw error;
  }
  return { browser, extensionOrigin: `moz-extension://${uuid}` };
}

/**
 * Opens an extension page in a new tab by navigating from a served page, and returns the tab.
 * Puppeteer keeps reporting the served page's URL afterwards, but `evaluate` runs in the
 * extension page.
 */
export async function openExtensionPage(browser: Browser, servedPageUrl: string, extensionUrl: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(servedPageUrl);
  await page.evaluate((url) => {
    location.href = url;
  }, extensionUrl);
  await waitUntil(
    () => page.evaluate(() => location.protocol === 'moz-extension:' && document.readyState === 'complete'),
    10_000,
    `extension page ${extensionUrl} to load`,
  );
  return page;
}

/** Polls `condition` every 500 ms until it returns true, or throws after `timeoutMs`. */
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) {
        return;
      }
    } catch {
      // The page may be between documents during a navigation; try again.
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
