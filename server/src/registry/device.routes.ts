import { randomUUID } from 'node:crypto';
import { canSeeMarket, Device, DeviceCreate, StringIdParam } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { newToken, tokenHash } from '../identity/token.ts';
import { addEntityRoutes } from './entity-routes.ts';
import type { RegistryRepository } from './registry.repository.ts';
import { manageable } from './registry-scope.ts';

const toDevice = (d: {
  id: string;
  gateId: number;
  name: string;
  revoked: boolean;
  lastSeenAt: Date | null;
}) =>
  Device.parse({
    id: d.id,
    gateId: d.gateId,
    name: d.name,
    revoked: d.revoked,
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
  });

export const deviceRoutes =
  (repo: RegistryRepository): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['registry'];
    const managers = app.requireRole(['market_admin']);

    // Only the list has the registry's common shape: a device's token is issued once and revoked, never edited.
    addEntityRoutes(app, repo, {
      path: '/devices',
      entity: 'device',
      view: Device,
      toView: toDevice,
      list: {
        roles: ['market_admin'],
        errors: [401, 403],
        async rows(principal) {
          const markets = (await repo.markets.list()).filter((m) => canSeeMarket(principal, m));
          const gates = await repo.gates.list(markets.map((m) => m.id));
          return repo.devices.list(gates.map((g) => g.id));
        },
      },
    });
    app.post(
      '/devices',
      {
        schema: {
          tags,
          body: DeviceCreate,
          response: {
            201: Device.extend({ token: z.string().describe('shown once; only its SHA-256 is stored') }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
        preParsing: managers,
      },
      async (request, reply) => {
        const gate = await repo.gates.find(request.body.gateId);
        if (!gate?.active) throw new ApiProblem('INACTIVE', 'the gate is deactivated');
        const token = newToken();
        const device = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity: 'device',
          data: request.body,
          run: (tx) =>
            tx.device.create({ data: { id: randomUUID(), ...request.body, tokenHash: tokenHash(token) } }),
          idOf: (d) => d.id,
        });
        return reply.code(201).send({ ...toDevice(device), token });
      },
    );
    app.post(
      '/devices/:id/revoke',
      {
        schema: { tags, params: StringIdParam, response: { 200: Device, ...errorResponses(401, 403, 404) } },
        preParsing: managers,
      },
      async (request) => {
        const found = await repo.devices.find(request.params.id);
        manageable(request.principal, found?.gate.market, 'device');
        const device = await repo.change({
          actor: actorOf(request.principal),
          action: 'revoke',
          entity: 'device',
          run: (tx) =>
            tx.device.update({
              where: { id: request.params.id },
              data: { revoked: true, revokedAt: repo.now() },
            }),
          idOf: (d) => d.id,
        });
        app.deviceAuth.forget();
        app.events.emit('device.revoked', { deviceId: device.id, gateId: device.gateId });
        return toDevice(device);
      },
    );
  };
