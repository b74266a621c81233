/**
 * Builds the Firefox variant of the extension into `dist-firefox/` (or the folder given as the
 * first argument): extension pages, the content script as one IIFE file, `manifest.json` from
 * `manifest.firefox.json` with the package version, the models and the TF.js WASM binaries.
 *
 * Usage: npm run build:firefox [-- <out dir>]
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { FIREFOX_OUT_DIR, contentScriptConfig } from '../vite.firefox.config';

const ROOT = resolve(import.meta.dirname, '..');
const WASM_DIR = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

/** Builds the Firefox extension into `outDir` and returns its absolute path. */
export async function buildFirefox(outDir: string = FIREFOX_OUT_DIR): Promise<string> {
  const target = resolve(ROOT, outDir);
  await build({ configFile: join(ROOT, 'vite.firefox.config.ts'), logLevel: 'warn', build: { outDir: target, emptyOutDir: true } });
  await build({ ...contentScriptConfig, logLevel: 'warn', build: { ...contentScriptConfig.build, outDir: target, emptyOutDir: false } });

  // The engine fetches both from the extension's own URL, because an extension may load no remote code.
  cpSync(join(ROOT, 'models'), join(target, 'models'), { recursive: true });
  for (const name of readdirSync(WASM_DIR).filter((file) => file.endsWith('.wasm'))) {
    cpSync(join(WASM_DIR, name), join(target, 'wasm', name));
  }

  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.firefox.json'), 'utf8')) as { version: string };
  const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  manifest.version = packageJson.version;
  writeFileSync(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return target;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const outDir = process.argv[2] ?? FIREFOX_OUT_DIR;
  buildFirefox(outDir)
    .then((target) => console.log(`build-firefox: extension written to ${target}`))
    .catch((error: unknown) => {
      console.error('build-firefox: the build failed', error);
      process.exitCode = 1;
    });
}
