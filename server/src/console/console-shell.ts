import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** What `/` answers: the built console, or a hint that it still needs building. */
export type ConsoleShell = { served: true; dir: string } | { served: false; dir: string; hint: string };

declare module 'fastify' {
  interface FastifyInstance {
    consoleShell: ConsoleShell;
  }
}

export const buildHint = 'the console is not built; run `npm run build -w console` (or `npm start`) first';

// A missing asset must stay a 404: a browser would otherwise parse the app shell as a script or a style sheet.
const fileLike = /\.(js|mjs|css|map|json|ico|png|jpe?g|gif|svg|webp|txt|woff2?|ttf|webmanifest)$/i;

/**
 * Browser routes get the app shell; API calls, sockets, assets and file-like paths keep their 404. Certificate
 * codes contain dots (QR alphanumeric), so `/verify/<code>` must not count as a file.
 */
export function isShellRoute(method: string, url: string): boolean {
  const pathname = url.split('?')[0] ?? '';
  if (method !== 'GET') return false;
  if (['/api/', '/socket.io/', '/assets/'].some((prefix) => pathname.startsWith(prefix))) return false;
  return !fileLike.test(pathname);
}

/**
 * Serves the built console from `dir` when it holds an index.html. Files are listed once at start
 * (`wildcard: false`), so a browser route never shadows an API route; unknown browser routes get index.html from
 * the not-found handler. Hashed assets are cached for good; the shell is revalidated on every load. Assets go out
 * precompressed (brotli or gzip, by Accept-Encoding) when the build wrote those copies.
 */
export async function registerConsoleShell(app: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(path.join(dir, 'index.html'))) {
    app.decorate('consoleShell', { served: false, dir, hint: buildHint });
    app.log.warn({ dir }, buildHint);
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    // The console build writes .br and .gz beside each asset; the smallest the browser accepts is sent.
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, file) {
      reply.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.decorate('consoleShell', { served: true, dir });
}
