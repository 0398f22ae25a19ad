/** One HTTP exchange with the server, as the console sees it: the I/O edge every screen goes through. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export type Transport = (request: ApiRequest) => Promise<ApiResponse>;

const CSRF_COOKIE = 'lz_csrf';

function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * The browser's fetch, same origin. The session cookie travels by itself; writes echo the readable CSRF cookie
 * in `x-csrf-token` (the server's double submit).
 */
export const fetchTransport: Transport = async ({ method, path, body }) => {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = method === 'GET' ? undefined : csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
};

/** A recorded exchange for tests: which request it answers and what the server said. */
export interface RecordedExchange {
  method: ApiRequest['method'];
  path: string;
  response: ApiResponse;
}

/**
 * Replays recorded answers in order of matching; each exchange answers once. Requests it was not recorded with
 * get a 599 so a test sees them instead of hanging.
 */
export function replayTransport(exchanges: RecordedExchange[]): Transport & { sent: ApiRequest[] } {
  const left = [...exchanges];
  const sent: ApiRequest[] = [];
  const transport = async (request: ApiRequest): Promise<ApiResponse> => {
    sent.push(request);
    const at = left.findIndex((e) => e.method === request.method && e.path === request.path);
    if (at < 0) return { status: 599, body: { error: { code: 'NOT_RECORDED', message: request.path } } };
    const [exchange] = left.splice(at, 1);
    return exchange!.response;
  };
  return Object.assign(transport, { sent });
}
