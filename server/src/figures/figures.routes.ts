import type { Principal } from '@liangzheng/domain';
import { Figures, FiguresQuery } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { figures, rangeOf } from './figures-service.ts';

/** The region a caller's figures cover: their own, or a narrower one they ask for. */
function regionOf(principal: Principal, asked: string | undefined): string | null {
  if (principal.kind !== 'user') throw new ApiProblem('UNAUTHENTICATED', 'log in');
  const scope = principal.scope;
  if (scope.kind === 'all') return asked ?? null;
  if (scope.kind !== 'region') throw new ApiProblem('FORBIDDEN', 'only regulators see figures');
  if (asked === undefined) return scope.prefix;
  if (!asked.startsWith(scope.prefix))
    throw new ApiProblem('FORBIDDEN', `region ${asked} is outside your region ${scope.prefix}`);
  return asked;
}

/** The regulator dashboard's figures, counted in the database per China day. */
export const figuresRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/figures',
    {
      schema: {
        tags: ['figures'],
        summary: 'Per day: lots, scanned lots, 查验率, outcomes and violations by reason, for a region',
        querystring: FiguresQuery,
        response: { 200: Figures, ...errorResponses(400, 401, 403) },
      },
      preParsing: app.requireRole(['regulator']),
    },
    async (request) => {
      const regionPrefix = regionOf(request.principal, request.query.regionPrefix);
      const range = rangeOf(request.query, app.clock.now());
      if (!range.ok) throw new ApiProblem(range.error.code, range.error.message);
      return figures(app.prisma, app.dialect, { from: range.from, to: range.to, regionPrefix });
    },
  );
};
