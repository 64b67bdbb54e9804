import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native tests share one OpenBLAS thread pool; files run in separate forks.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
