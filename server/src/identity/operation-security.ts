import type { FastifyInstance, RouteOptions } from 'fastify';

/** The OpenAPI document's security schemes: a console user's session cookie, a gate device's bearer token. */
export type SecurityScheme = 'session' | 'device';

/** The schemes a guard admits, kept on the guard itself so the OpenAPI document reads them from the route. */
const admitted = new WeakMap<object, readonly SecurityScheme[]>();

/** Marks `guard` as admitting `schemes`; returns it, for use where the guard is made. */
export function admitting<G extends object>(guard: G, schemes: readonly SecurityScheme[]): G {
  admitted.set(guard, schemes);
  return guard;
}

const hooksOf = (hook: unknown): unknown[] => (Array.isArray(hook) ? hook : hook ? [hook] : []);

/**
 * Every operation in the OpenAPI document declares the security it needs, from the guard its route runs: either
 * scheme a guard admits (`[{ session: [] }, { device: [] }]` reads "a session or a device token"), and `[]` for a
 * route with no guard, which is public. One place, so no route can forget to say it.
 */
export function declareOperationSecurity(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const guards = [route.onRequest, route.preParsing, route.preValidation, route.preHandler].flatMap(
      hooksOf,
    );
    const schemes = new Set(guards.flatMap((guard) => admitted.get(guard as object) ?? []));
    const security = [...schemes].map((scheme) => ({ [scheme]: [] }));
    route.schema = { ...route.schema, security } as RouteOptions['schema'];
  });
}
