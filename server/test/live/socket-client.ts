import { io, type Socket } from 'socket.io-client';

/** Resolves with the first `event` the socket receives, or rejects after `ms`. */
export function nextEvent<T = unknown>(
  socket: Socket,
  event: string,
  matches: (payload: T) => boolean = () => true,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (payload: T) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    socket.on(event, listener);
  });
}

export function connect(
  base: string,
  options: { token?: string; cookie?: string; headers?: Record<string, string> },
): Promise<Socket> {
  const headers = { ...options.headers, ...(options.cookie ? { cookie: options.cookie } : {}) };
  const socket = io(base, {
    transports: ['websocket'],
    reconnection: false,
    ...(options.token ? { auth: { token: options.token } } : {}),
    ...(Object.keys(headers).length > 0 ? { extraHeaders: headers } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}
