import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each test starts the real app on a fresh migrated database; on 2 shared cores that can take seconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
