import { resolve } from 'node:path';
import { mergeConfig, type Plugin } from 'vite';
import baseConfig from '../../vite.config';

const ROOT = resolve(import.meta.dirname, '../..');
const REAL_ENGINE = resolve(ROOT, 'src/engine/engine.ts');
const FAKE_ENGINE = resolve(ROOT, 'tests/e2e/fake-engine.ts');

/** Builds the extension into `dist-fake-engine/` with the engine replaced by the test stand-in. */
function replaceEngine(): Plugin {
  return {
    name: 'replace-engine-with-fake',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('/engine/engine') && !source.endsWith('/engine/engine.ts')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === REAL_ENGINE ? FAKE_ENGINE : null;
    },
  };
}

export default mergeConfig(baseConfig, {
  plugins: [replaceEngine()],
  build: { outDir: 'dist-fake-engine' },
});
