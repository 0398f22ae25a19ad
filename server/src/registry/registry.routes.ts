import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { productRoutes } from '../product/product.routes.ts';
import { ruleSetRoutes } from '../rules/rule-set.routes.ts';
import { deviceRoutes } from './device.routes.ts';
import { enrollmentRoutes } from './enrollment.routes.ts';
import { issuerRoutes } from './issuer.routes.ts';
import { marketRoutes } from './market.routes.ts';
import { createRegistryRepository } from './registry.repository.ts';
import { checkReferences } from './registry-scope.ts';
import { userRoutes } from './user.routes.ts';
import { vendorRoutes } from './vendor.routes.ts';

/** Regions, markets, gates, stalls, vendors, producers and their keys, devices, users, the product catalogue and rule sets. */
export const registryRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = createRegistryRepository(app.prisma, app.audit, app.clock);
  app.addHook('preHandler', checkReferences(repo));
  for (const routes of [
    marketRoutes,
    vendorRoutes,
    issuerRoutes,
    deviceRoutes,
    enrollmentRoutes,
    userRoutes,
    productRoutes,
    ruleSetRoutes,
  ]) {
    await app.register(routes(repo));
  }
};
