import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { chartsOutsideEntry } from './vite-plugins/charts-outside-entry.ts';
import { precompress } from './vite-plugins/precompress.ts';

/** The API server the dev server and `vite preview` forward to; the console itself holds no data. */
const server = process.env.LZ_SERVER_URL ?? 'http://127.0.0.1:3000';

const proxy = {
  '/api': { target: server },
  '/socket.io': { target: server, ws: true },
  '/V/': { target: server },
  '/health': { target: server },
  '/healthz': { target: server },
};

export default defineConfig({
  plugins: [react(), chartsOutsideEntry(), precompress()],
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', chunkSizeWarningLimit: 700 },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
});
