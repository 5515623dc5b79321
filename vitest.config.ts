import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server, browser and SQLite tests open ports and files; two workers suit the 2-core machines we run on.
    pool: 'forks',
    maxWorkers: 2,
  },
});
