import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // every test file gets a private HOME, GNUPGHOME, database, docker and helm dirs (test/helpers/hermetic.ts)
    setupFiles: ['test/setup-hermetic.ts'],
  },
});
