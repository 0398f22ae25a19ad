import type { Server as HttpServer } from 'node:http';
import type { Principal } from '@liangzheng/domain';
import { type RateLimitedError, type RateLimitedEvent, WatchMessage } from '@liangzheng/domain';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { RateAllowance, SocketRateLimitSubject } from '../http/rate-limit.ts';
import { agentsRoom, gateRoom, type LiveFeed, marketRoom, regionRoom, regionRooms } from './live-feed.ts';

export interface LiveServerDeps {
  httpServer: HttpServer;
  redisUrl: string | undefined;
  /** the device token (handshake `auth.token`) or the console session cookie, as the HTTP API accepts them */
  authenticate(credentials: { token?: string; cookieHeader?: string }): Promise<Principal | undefined>;
  /** whether a user may follow a room; checked against the database for gates and markets */
  mayWatch(principal: Principal, room: Watch['room']): Promise<boolean>;
  /** handles `scan:submit` from a device (its token is checked again: a revoked device is refused within 1 s) */
  onScan(principal: Principal & { kind: 'device' }, token: string, body: unknown): Promise<unknown>;
  /** takes one request from the HTTP rate limit: per device or user, per client address without either */
  rateLimit(subject: SocketRateLimitSubject): Promise<RateAllowance>;
}

export interface LiveServer {
  feed: LiveFeed;
  io: Server;
  close(): Promise<void>;
}

type Watch = z.infer<typeof WatchMessage>;

/** The answer to a message refused by the rate limit: HTTP's 429 code, as every socket ack carries errors. */
function rateLimitedAnswer(retryAfterMs: number): { ok: false; error: RateLimitedError } {
  return {
    ok: false,
    error: {
      code: 'RATE_LIMITED',
      message: `too many requests; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
      retryAfterMs,
    },
  };
}

/**
 * Refuses a client message without handling it, never silently: through its ack when it has one, else with a
 * `rate:limited` event naming the refused event.
 */
function refuse(
  socket: Socket,
  event: unknown,
  args: unknown[],
  answer: ReturnType<typeof rateLimitedAnswer>,
) {
  const ack = args.at(-1);
  if (typeof ack === 'function') ack(answer);
  else socket.emit('rate:limited', { event: String(event), error: answer.error } satisfies RateLimitedEvent);
}

function roomName(room: Watch['room']): string {
  if (room.kind === 'gate') return gateRoom(room.gateId);
  if (room.kind === 'market') return marketRoom(room.marketId);
  return regionRoom(room.prefix);
}

/** The rooms a principal joins on connecting; more can be followed with `watch`. */
export function defaultRooms(principal: Principal): string[] {
  if (principal.kind === 'device') return [gateRoom(principal.gateId), agentsRoom];
  if (principal.kind !== 'user') return [];
  const scope = principal.scope;
  if (scope.kind === 'market' || scope.kind === 'stall') return [marketRoom(scope.marketId)];
  if (scope.kind === 'region') return [regionRoom(scope.prefix)];
  return [];
}

/**
 * socket.io on the app's HTTP server. With a Redis URL the rooms are shared by every node through the
 * @socket.io/redis-adapter, so an event emitted on one node reaches clients connected to another.
 */
export async function startLive(deps: LiveServerDeps): Promise<LiveServer> {
  // A scan batch (500 scans with keystroke timings, and their lots) runs to a few MB; the default is 1 MB.
  const io = new Server(deps.httpServer, {
    serveClient: false,
    cors: { origin: false },
    maxHttpBufferSize: 8 * 1024 * 1024,
  });
  const redis = deps.redisUrl ? createClient({ url: deps.redisUrl }) : undefined;
  const redisSub = redis?.duplicate();
  if (redis && redisSub) {
    await Promise.all([redis.connect(), redisSub.connect()]);
    io.adapter(createAdapter(redis, redisSub));
  }

  io.use(async (socket, next) => {
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
    const cookieHeader = socket.handshake.headers.cookie;
    let principal: Principal | undefined;
    try {
      principal = await deps.authenticate({ token, cookieHeader });
    } catch {
      return next(new Error('UNAVAILABLE'));
    }
    const known = principal && principal.kind !== 'public' ? principal : undefined;
    // A handshake counts as an HTTP request would: against the device or user it names, or, with no valid
    // credential, against the client's address, so token guessing is limited and a gate's reconnects do not
    // spend the allowance every anonymous visitor behind the same address shares.
    const handshake = await deps
      .rateLimit({ principal: known, request: socket.request })
      .catch((): RateAllowance => ({ ok: true }));
    if (!handshake.ok) return next(new Error('RATE_LIMITED'));
    if (!known) return next(new Error('UNAUTHENTICATED'));
    socket.data.principal = known;
    next();
  });

  io.on('connection', (socket: Socket) => {
    const principal = socket.data.principal as Principal;
    // Every client message (`scan:submit`, `scan:submit-batch`, `watch`, any other) counts against the sender's
    // HTTP allowance before any handler sees it.
    socket.use(([event, ...args], next) => {
      deps.rateLimit({ principal, request: socket.request }).then(
        (allowance) =>
          allowance.ok ? next() : refuse(socket, event, args, rateLimitedAnswer(allowance.retryAfterMs)),
        // the in-memory counter cannot fail; were it ever unable to count, messages still get their answers
        () => next(),
      );
    });
    for (const room of defaultRooms(principal)) socket.join(room);

    socket.on('scan:submit', async (body: unknown, ack?: (answer: unknown) => void) => {
      if (typeof ack !== 'function') return;
      if (principal.kind !== 'device') {
        ack({ ok: false, error: { code: 'FORBIDDEN', message: 'only gate devices submit scans' } });
        return;
      }
      try {
        ack(await deps.onScan(principal, String(socket.handshake.auth?.token ?? ''), body));
      } catch {
        ack({
          ok: false,
          error: { code: 'DATABASE_UNAVAILABLE', message: 'the scan was not stored; send it again' },
        });
      }
    });

    socket.on('watch', async (body: unknown, ack?: (answer: unknown) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = WatchMessage.safeParse(body);
      if (!parsed.success) return reply({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      try {
        if (!(await deps.mayWatch(principal, parsed.data.room))) {
          return reply({ ok: false, error: { code: 'FORBIDDEN' } });
        }
      } catch {
        return reply({ ok: false, error: { code: 'DATABASE_UNAVAILABLE' } });
      }
      const room = roomName(parsed.data.room);
      await socket.join(room);
      reply({ ok: true, room });
    });
  });

  // socket.io encodes an event before it looks at the rooms (~3% of a scan's CPU when nobody watches). Without a
  // cross-node adapter the local rooms are all there are, so an event for rooms without members is not emitted;
  // with Redis another node's clients may be in them, so it always is.
  const crossNode = redis !== undefined;
  const hasMembers = (rooms: string[]) =>
    crossNode || rooms.some((room) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0);
  const emit = (rooms: string[], event: string, payload: unknown) => {
    if (hasMembers(rooms)) io.to(rooms).emit(event, payload);
  };
  const feed: LiveFeed = {
    toGate: (gateId, event, payload) => emit([gateRoom(gateId)], event, payload),
    toMarket: (marketId, event, payload) => emit([marketRoom(marketId)], event, payload),
    toRegion: (regionCode, event, payload) => emit(regionRooms(regionCode), event, payload),
    toAgents: (event, payload) => emit([agentsRoom], event, payload),
  };

  return {
    feed,
    io,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        // io.close also closes the HTTP server, which fastify closes itself; only the engine is ours to stop.
        io.engine.close();
        resolve();
      });
      io.removeAllListeners();
      await Promise.allSettled([redis?.quit(), redisSub?.quit()]);
    },
  };
}
