import preact from '@preact/preset-vite';
import { resolve, sep } from 'node:path';
import { defineConfig, type InlineConfig, type Plugin } from 'vite';

/**
 * Vite configs of the Firefox build. `scripts/build-firefox.ts` runs both (extension pages, then
 * the content script) and adds the manifest, the model files and the TF.js WASM binaries.
 */
const ROOT = import.meta.dirname;

export const FIREFOX_OUT_DIR = resolve(ROOT, 'dist-firefox');

const BACKGROUND_DIR = `${sep}src${sep}background${sep}`;
const OFFSCREEN_DIR = `${sep}src${sep}offscreen${sep}`;

/**
 * Points the imports of the background and engine modules at the Firefox stand-ins: the
 * page-local message bus for `webextension-polyfill` and the in-page engine host for
 * `./offscreen-document`. Other pages keep the real polyfill.
 */
function firefoxBackgroundShims(): Plugin {
  return {
    name: 'firefox-background-shims',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer === undefined) {
        return null;
      }
      const from = resolve(importer.split('?')[0]);
      const inBackground = from.includes(BACKGROUND_DIR);
      if (!inBackground && !from.includes(OFFSCREEN_DIR)) {
        return null;
      }
      if (source === 'webextension-polyfill') {
        return resolve(ROOT, 'src/firefox/local-runtime.ts');
      }
      if (inBackground && source === './offscreen-document') {
        return resolve(ROOT, 'src/firefox/engine-page.ts');
      }
      return null;
    },
  };
}

export default defineConfig({
  root: ROOT,
  plugins: [preact(), firefoxBackgroundShims()],
  build: {
    outDir: FIREFOX_OUT_DIR,
    emptyOutDir: true,
    // TF.js chunks are large, and chunk size does not matter for an extension loaded from disk.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        background: resolve(ROOT, 'src/firefox/background.html'),
        popup: resolve(ROOT, 'src/popup/popup.html'),
        options: resolve(ROOT, 'src/options/options.html'),
      },
    },
  },
});

/** Content scripts cannot be ES modules, so the content script is built on its own as one IIFE file. */
export const contentScriptConfig: InlineConfig = {
  root: ROOT,
  configFile: false,
  // Library mode leaves `process.env.NODE_ENV` in place; browsers have no `process`.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: FIREFOX_OUT_DIR,
    emptyOutDir: false,
    lib: {
      entry: resolve(ROOT, 'src/content/index.ts'),
      formats: ['iife'],
      name: 'deepfakeScreenerContent',
      fileName: () => 'content.js',
    },
  },
};
