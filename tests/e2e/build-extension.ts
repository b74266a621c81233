import { resolve } from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from './browser';

/**
 * Builds the extension with Vite into `outDir` (relative to the repository) and
 * returns its absolute path. The config is `config` if given, else
 * `SCREENER_E2E_VITE_CONFIG`, else `vite.config.ts`; the environment variable can
 * name `tests/e2e/vite.fake-engine.config.ts` to debug the plumbing alone.
 */
export async function buildExtension(outDir: string, config?: string): Promise<string> {
  const configFile = resolve(REPO_ROOT, config ?? process.env.SCREENER_E2E_VITE_CONFIG ?? 'vite.config.ts');
  const absoluteOutDir = resolve(REPO_ROOT, outDir);
  await build({
    root: REPO_ROOT,
    configFile,
    logLevel: 'warn',
    build: { outDir: absoluteOutDir, emptyOutDir: true },
  });
  return absoluteOutDir;
}
