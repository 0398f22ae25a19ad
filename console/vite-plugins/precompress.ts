import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const compressible = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/i;
/** Below this a compressed copy saves less than the headers that announce it. */
const minBytes = 1024;

function writeCompressedCopies(file: string): void {
  const bytes = readFileSync(file);
  if (bytes.length < minBytes) return;
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  writeFileSync(
    `${file}.br`,
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
}

/**
 * Writes a `.br` and a `.gz` beside every text file of the build, at the highest levels: compressing once at build
 * time costs nothing per request, and the server hands these out by Accept-Encoding (`preCompressed`).
 */
export function precompress(): Plugin {
  return {
    name: 'liangzheng:precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      for (const fileName of Object.keys(bundle)) {
        if (compressible.test(fileName)) writeCompressedCopies(path.join(dir, fileName));
      }
    },
  };
}
