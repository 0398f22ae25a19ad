import { defineConfig } from 'vitest/config';

// Migrations start a wasm engine and PostgreSQL tests create databases: slower than unit tests on 2 cores.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
