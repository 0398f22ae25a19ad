import {
  type DevicePrincipal,
  type Principal,
  publicPrincipal,
  type Role,
  type UserPrincipal,
} from '@liangzheng/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiProblem } from '../http/error-code.ts';
import { createDeviceAuth, type DeviceAuth } from './device-auth.ts';
import { openSessionReads } from './open-session-reads.ts';
import { admitting, declareOperationSecurity } from './operation-security.ts';
import { CSRF_HEADER, createSessions, SESSION_COOKIE, type Sessions } from './session.ts';
import { sameSecret } from './token.ts';

export type Guard = (request: FastifyRequest) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /**
     * why a presented credential was not accepted. The request stays public: public routes answer it as they
     * would without one, guarded routes refuse it with this code, and the rate limiter counts it by address.
     */
    credentialProblem: 'SESSION_EXPIRED' | 'UNAUTHENTICATED' | 'DEVICE_UNKNOWN' | 'DEVICE_REVOKED' | null;
  }
  interface FastifyInstance {
    sessions: Sessions;
    deviceAuth: DeviceAuth;
    /**
     * Guard allowing the listed user roles (admin is always allowed); `{ device: true }` also admits gate devices.
     * Routes run it as their `preParsing` hook: after the rate limiter (refused requests still count) and before
     * the body, query and parameters are parsed, so a caller without access learns nothing about the schema.
     * Scope (which market, region…) is checked by the handler with the principal helpers.
     */
    requireRole(roles: readonly Role[], options?: { device?: boolean }): Guard;
    /** `preParsing` guard admitting only gate devices */
    requireDevice(): Guard;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

function unauthenticated(request: FastifyRequest): ApiProblem {
  if (request.credentialProblem === 'SESSION_EXPIRED')
    return new ApiProblem('SESSION_EXPIRED', 'the session has expired; log in again');
  if (request.credentialProblem === 'DEVICE_REVOKED')
    return new ApiProblem('DEVICE_REVOKED', 'this device has been revoked');
  if (request.credentialProblem === 'DEVICE_UNKNOWN')
    return new ApiProblem('DEVICE_UNKNOWN', 'unknown device token');
  return new ApiProblem('UNAUTHENTICATED', 'log in or present a device token');
}

/**
 * Resolves every request's principal: a gate device from `Authorization: Bearer`, a console user from the session
 * cookie (with the CSRF header checked on unsafe methods), otherwise public.
 */
export function registerIdentity(app: FastifyInstance): void {
  const sessionReads = openSessionReads(app.dialect, app.config.databaseUrl);
  app.addHook('onClose', () => sessionReads.close());
  app.decorate('sessions', createSessions(app.prisma, app.clock, app.config.sessionHours, sessionReads));
  app.decorate('deviceAuth', createDeviceAuth(app.prisma, app.clock));
  app.decorateRequest('principal', null as never);
  app.decorateRequest('credentialProblem', null);

  app.addHook('onRequest', async (request) => {
    request.principal = publicPrincipal;
    const token = bearer(request);
    if (token !== undefined) {
      const found = await app.deviceAuth.lookup(token);
      if (found.ok) request.principal = found.principal;
      else request.credentialProblem = found.code;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const found = await app.sessions.lookup(cookie);
    if (!found.ok) {
      request.credentialProblem = found.code;
      return;
    }
    if (unsafe.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !sameSecret(header, found.csrfToken)) {
        throw new ApiProblem('CSRF_MISMATCH', `send the session's CSRF token in the ${CSRF_HEADER} header`);
      }
    }
    request.principal = found.principal;
  });

  app.decorate('requireRole', (allowed: readonly Role[], options?: { device?: boolean }): Guard => {
    const set = new Set<Role>(['admin', ...allowed]);
    const guard: Guard = async (request) => {
      const p = request.principal;
      if (p.kind === 'device') {
        if (options?.device) return;
        throw new ApiProblem('FORBIDDEN', 'devices may not use this route');
      }
      if (p.kind === 'public') throw unauthenticated(request);
      if (!set.has(p.role)) throw new ApiProblem('FORBIDDEN', `role ${p.role} may not use this route`);
    };
    return admitting(guard, options?.device ? ['session', 'device'] : ['session']);
  });

  app.decorate('requireDevice', (): Guard => {
    const guard: Guard = async (request) => {
      if (request.principal.kind === 'device') return;
      if (request.principal.kind === 'public') throw unauthenticated(request);
      throw new ApiProblem('FORBIDDEN', 'only gate devices may use this route');
    };
    return admitting(guard, ['device']);
  });

  declareOperationSecurity(app);
}

/** The principal as a user, for handlers behind requireRole without `device`. */
export function userOf(request: FastifyRequest): UserPrincipal {
  if (request.principal.kind !== 'user') throw unauthenticated(request);
  return request.principal;
}

export function deviceOf(request: FastifyRequest): DevicePrincipal {
  if (request.principal.kind !== 'device') throw new ApiProblem('FORBIDDEN', 'only gate devices');
  return request.principal;
}

/** "who did it" for the audit log */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'user') return `user:${principal.username}`;
  if (principal.kind === 'device') return `device:${principal.deviceId}`;
  return 'public';
}
