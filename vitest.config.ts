import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // TF.js keeps one global engine per process, so test files run in separate forks.
    pool: 'forks',
    fileParallelism: false,
  },
});
