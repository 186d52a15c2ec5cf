import { defineConfig } from 'vitest/config';

// Timeouts sized for a loaded 2-core machine; tests that run whole workflows set their own.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
