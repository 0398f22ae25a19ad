import { defineConfig } from 'vitest/config';

// These tests start real server, agent and browser processes and measure what survives faults: running the
// files one at a time keeps them from starving each other on a 2-core machine.
export default defineConfig({
  test: { fileParallelism: false },
});
