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
  },
});
