import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import manifest from './src/manifest.ts';

const ROOT = import.meta.dirname;
const WASM_DIR = resolve(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const MODELS_DIR = resolve(ROOT, 'models');

/** Lists every file under `dir`, recursively. */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * Copies the model files to `models/` and the TF.js WASM binaries to `wasm/` in the
 * build, because the offscreen document fetches both from the extension's own URL
 * (an extension may load no remote code).
 */
function copyRuntimeFiles(): Plugin {
  return {
    name: 'copy-runtime-files',
    apply: 'build',
    generateBundle(): void {
      const wasmFiles = readdirSync(WASM_DIR).filter((name) => name.endsWith('.wasm'));
      for (const name of wasmFiles) {
        this.emitFile({ type: 'asset', fileName: `wasm/${name}`, source: readFileSync(join(WASM_DIR, name)) });
      }
      for (const path of listFiles(MODELS_DIR)) {
        const fileName = `models/${relative(MODELS_DIR, path).split('\\').join('/')}`;
        this.emitFile({ type: 'asset', fileName, source: readFileSync(path) });
      }
    },
  };
}

export default defineConfig({
  plugins: [preact(), crx({ manifest }), copyRuntimeFiles()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // TF.js makes the offscreen chunk about 1 MB, which is harmless for an extension loaded from disk.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { offscreen: 'src/offscreen/offscreen.html' },
    },
  },
});
