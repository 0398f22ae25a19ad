import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxPhotoBase64Chars } from '@liangzheng/domain';
import type { z } from 'zod';
import type { GateStatus } from './gate-status.ts';
import { type ManualAnswer, ManualCode, type ManualDesk, ManualLot } from './manual-entry.ts';
import { isLoopbackHost, newPageToken, tokenHeader, tokenMatches } from './request-guard.ts';
import { statusPageHtml } from './status-page.html.ts';

/** Room for one paper photo at the server's bound and the fields beside it. */
const maxBodyBytes = maxPhotoBase64Chars + 16 * 1024;

export type ManualErrorCode =
  | 'HOST_NOT_ALLOWED'
  | 'TOKEN_MISSING'
  | 'TOKEN_INVALID'
  | 'NOT_JSON'
  | 'BODY_TOO_LARGE'
  | 'BAD_JSON'
  | 'VALIDATION_FAILED'
  | 'CODE_EMPTY'
  | 'MANUAL_UNAVAILABLE'
  | 'NO_OPEN_LOT'
  | 'JOURNAL_UNAVAILABLE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED';

export interface ManualError {
  code: ManualErrorCode;
  zh: string;
  en: string;
  fields?: { path: string; message: string }[];
}

const errors: Record<ManualErrorCode, { status: number; zh: string; en: string }> = {
  HOST_NOT_ALLOWED: { status: 403, zh: '只接受本机访问', en: 'only this machine may use the gate page' },
  TOKEN_MISSING: { status: 403, zh: '缺少页面令牌，请刷新页面', en: 'page token missing: reload the page' },
  TOKEN_INVALID: { status: 403, zh: '页面令牌无效，请刷新页面', en: 'page token invalid: reload the page' },
  NOT_JSON: { status: 415, zh: '请求须为 JSON', en: 'the request must be JSON' },
  BODY_TOO_LARGE: {
    status: 413,
    zh: '内容太大（照片最多约 150 KB）',
    en: 'too large (a photo is at most ~150 KB)',
  },
  BAD_JSON: { status: 400, zh: 'JSON 格式错误', en: 'malformed JSON' },
  VALIDATION_FAILED: { status: 400, zh: '填写有误，请检查', en: 'some fields are wrong' },
  CODE_EMPTY: { status: 400, zh: '请输入证码', en: 'enter the code' },
  MANUAL_UNAVAILABLE: { status: 503, zh: '本机未开启手工录入', en: 'manual entry is off on this agent' },
  NO_OPEN_LOT: {
    status: 409,
    zh: '没有正在核验的登记车辆',
    en: 'no registered arrival is being checked',
  },
  JOURNAL_UNAVAILABLE: {
    status: 503,
    zh: '未能记录，请重试',
    en: 'not recorded: try again',
  },
  NOT_FOUND: { status: 404, zh: '没有这个页面', en: 'no such page' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持的请求方式', en: 'method not allowed' },
};

function manualError(code: ManualErrorCode, fields?: ManualError['fields']): ManualError {
  const { zh, en } = errors[code];
  return fields ? { code, zh, en, fields } : { code, zh, en };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ManualError };

function fieldsOf(error: z.ZodError): NonNullable<ManualError['fields']> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

function readBody(req: IncomingMessage): Promise<Outcome<string>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > maxBodyBytes
          ? { ok: false, error: manualError('BODY_TOO_LARGE') }
          : { ok: true, value: Buffer.concat(chunks).toString('utf8') },
      ),
    );
    req.on('error', () => resolve({ ok: false, error: manualError('BAD_JSON') }));
  });
}

function parseJson(text: string): Outcome<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: manualError('BAD_JSON') };
  }
}

/** A journal that cannot be written (disk full, file gone) is reported, never thrown at the page. */
function journaled(
  entry: () => ManualAnswer | null,
  nothing: ManualErrorCode = 'CODE_EMPTY',
): Outcome<ManualAnswer> {
  try {
    const answer = entry();
    return answer ? { ok: true, value: answer } : { ok: false, error: manualError(nothing) };
  } catch {
    return { ok: false, error: manualError('JOURNAL_UNAVAILABLE') };
  }
}

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; frame-ancestors 'none'",
};

/**
 * The gate's own screen on localhost: one HTML page fed by server-sent events, with a manual-entry panel that
 * stays closed (and takes no focus) until staff open it. Every request must name this machine in its Host
 * header; every entry must carry this process's page token, which only the served page knows.
 */
export class StatusPage {
  readonly #clients = new Set<ServerResponse>();
  readonly #server: Server;
  readonly #token = newPageToken();
  readonly #desk: ManualDesk | null;
  #status: GateStatus;
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(initial: GateStatus, desk: ManualDesk | null = null) {
    this.#status = initial;
    this.#desk = desk;
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch(() => this.#send(res, manualError('JOURNAL_UNAVAILABLE')));
    });
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackHost(req.headers.host)) return this.#send(res, manualError('HOST_NOT_ALLOWED'));
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && pathname.startsWith('/manual/')) return this.#manual(req, res, pathname);
    if (req.method !== 'GET') return this.#send(res, manualError('METHOD_NOT_ALLOWED'));
    if (pathname === '/') {
      res.writeHead(200, pageHeaders).end(statusPageHtml(this.#token, this.#desk !== null));
    } else if (pathname === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.#status));
    } else if (pathname === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`data: ${JSON.stringify(this.#status)}\n\n`);
      this.#clients.add(res);
      req.on('close', () => this.#clients.delete(res));
    } else {
      this.#send(res, manualError('NOT_FOUND'));
    }
  }

  async #manual(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const presented = req.headers[tokenHeader];
    if (presented === undefined) return this.#refuse(req, res, manualError('TOKEN_MISSING'));
    if (!tokenMatches(this.#token, presented)) return this.#refuse(req, res, manualError('TOKEN_INVALID'));
    const desk = this.#desk;
    if (!desk) return this.#refuse(req, res, manualError('MANUAL_UNAVAILABLE'));
    if (pathname === '/manual/close') {
      req.resume();
      const closed = journaled(() => desk.closeLot(), 'NO_OPEN_LOT');
      if (!closed.ok) return this.#send(res, closed.error);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(closed.value));
      return;
    }
    if (pathname !== '/manual/lots' && pathname !== '/manual/codes')
      return this.#refuse(req, res, manualError('NOT_FOUND'));
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return this.#refuse(req, res, manualError('NOT_JSON'));
    const body = await readBody(req);
    if (!body.ok) return this.#send(res, body.error);
    const json = parseJson(body.value);
    if (!json.ok) return this.#send(res, json.error);
    const answer =
      pathname === '/manual/lots'
        ? this.#enter(ManualLot, json.value, (lot) => desk.registerLot(lot))
        : this.#enter(ManualCode, json.value, (code) => desk.enterCode(code));
    if (!answer.ok) return this.#send(res, answer.error);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(answer.value));
  }

  #enter<S extends z.ZodType>(
    schema: S,
    value: unknown,
    enter: (input: z.output<S>) => ManualAnswer | null,
  ): Outcome<ManualAnswer> {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      return { ok: false, error: manualError('VALIDATION_FAILED', fieldsOf(parsed.error)) };
    return journaled(() => enter(parsed.data));
  }

  /** Refused before the body was read: the rest of it is drained so the connection stays usable. */
  #refuse(req: IncomingMessage, res: ServerResponse, error: ManualError): void {
    req.resume();
    this.#send(res, error);
  }

  #send(res: ServerResponse, error: ManualError): void {
    if (res.headersSent) return;
    res.writeHead(errors[error.code].status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error }));
  }

  /** Binds to loopback only: the page is for the gate's own screen. Returns the bound port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    // keeps proxies and idle browsers from dropping the stream
    this.#heartbeat = setInterval(() => this.#broadcast(': ping\n\n'), 15_000);
    this.#heartbeat.unref();
    return (this.#server.address() as AddressInfo).port;
  }

  get status(): GateStatus {
    return this.#status;
  }

  update(change: Partial<GateStatus>): void {
    this.#status = { ...this.#status, ...change };
    this.#broadcast(`data: ${JSON.stringify(this.#status)}\n\n`);
  }

  #broadcast(message: string): void {
    for (const client of this.#clients) client.write(message);
  }

  async close(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
