import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderBoard } from './board-page.ts';
import { readBoard } from './board-service.ts';

const MarketParam = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/** The page may style itself and nothing else: no script, no frames, no requests anywhere. */
export const boardContentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** Public, no login: the market's 亮证 board (亮证公示), one HTML page per market at /board/<market id>. */
export const boardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/board/:id', { schema: { hide: true, params: MarketParam } }, async (request, reply) => {
    const now = app.clock.now();
    const board = await readBoard(app.prisma, request.params.id, now, app.config.timeZone);
    const html = board
      ? renderBoard(board, app.config.timeZone, now)
      : '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>未找到市场</title></head><body><p>未找到该市场的亮证公示。</p></body></html>';
    return reply
      .code(board ? 200 : 404)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', boardContentSecurityPolicy)
      .send(html);
  });
};
