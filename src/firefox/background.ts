/**
 * Background page of the Firefox build: the background logic and the engine in one page,
 * because Firefox has no offscreen documents. The Firefox Vite config points their
 * `webextension-polyfill` and `./offscreen-document` imports at `local-runtime.ts` and
 * `engine-page.ts`, so they talk through a page-local message bus.
 */
import '../offscreen/index';
import '../background/index';
