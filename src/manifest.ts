import { defineManifest } from '@crxjs/vite-plugin';
import packageJson from '../package.json' with { type: 'json' };

/**
 * Manifest V3 of the extension, with the minimum permissions for its features.
 * `offscreen` hosts the engine, because a service worker has no DOM or WebGPU adapter.
 * `storage` keeps settings and per-tab results. The `<all_urls>` host permission lets
 * `tabs.captureVisibleTab` read frames of cross-origin videos whose canvas is
 * tainted. Chrome 156 rejects that call with narrower host patterns unless a click
 * on the toolbar icon granted `activeTab`. The content script
 * already runs on every http(s) page, so the install warning ("read and change all
 * your data on all websites") is the same either way.
 */
const WEB_PAGES = ['http://*/*', 'https://*/*'];

export default defineManifest({
  manifest_version: 3,
  name: 'Deepfake Screener',
  description: 'Screens faces in web videos for signs of manipulation, entirely on this device.',
  version: packageJson.version,
  action: {
    default_title: 'Deepfake Screener',
    default_popup: 'src/popup/popup.html',
  },
  options_ui: { page: 'src/options/options.html', open_in_tab: true },
  background: {
    service_worker: 'src/background/index.ts',
    type: 'module',
  },
  content_scripts: [
    {
      matches: WEB_PAGES,
      js: ['src/content/index.ts'],
      all_frames: true,
      match_about_blank: true,
      run_at: 'document_idle',
    },
  ],
  permissions: ['offscreen', 'storage'],
  host_permissions: ['<all_urls>'],
  // TF.js WASM compiles its module at run time, which MV3 allows only with 'wasm-unsafe-eval'.
  content_security_policy: {
    extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
  },
});
