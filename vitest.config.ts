import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000, // generous: CI shares 2 cores between vitest workers and Chromium
    hookTimeout: 60_000,
    // 2-core machines: keep parallelism modest so integration tests with child processes stay reliable.
    maxWorkers: 2,
    reporters: ['default'],
    // A command run without --db opens the shared default database (main/services/bench-defaults.ts): under
    // test that is a file in test-results/, never the user's own bench.
    env: { CXL_BENCH_DB: fileURLToPath(new URL('./test-results/default-bench.sqlite', import.meta.url)) },
  },
});
