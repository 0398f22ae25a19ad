import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * An IP camera on loopback: a minimal RTSP server (RFC 2326) in front of an ffmpeg that pushes a looping video
 * to it (ANNOUNCE/SETUP/RECORD, RTP interleaved over TCP), serving players the way a camera does
 * (OPTIONS/DESCRIBE/SETUP interleaved/PLAY, Basic authentication). Not rtsp-streaming-server from npm: it
 * serves RTP over UDP only (its README lists interleaved RTP as to come), and the agent asks for TCP; GPL-3.0 too.
 *
 * A player joins at the next H.264 keyframe, as from a camera. When the pusher stops, players stay connected
 * and receive nothing (a frozen camera); `stop()` closes everything (a camera switched off).
 */
export interface TestCamera {
  readonly port: number;
  /** rtsp://[user:pass@]127.0.0.1:port/path */
  url(path?: string, credentials?: Credentials): string;
  /** kill the pusher only: connected players starve */
  freeze(): Promise<void>;
  /** close the server and every connection */
  stop(): Promise<void>;
}

export interface Credentials {
  user: string;
  password: string;
}

export interface TestCameraOptions {
  video: string;
  path: string;
  /** a port freed by an earlier camera, so a camera can come back where it was; 0 picks a free one */
  port?: number;
  credentials?: Credentials;
}

interface RtspRequest {
  method: string;
  uri: string;
  headers: Map<string, string>;
  body: string;
}

type Chunk =
  | { kind: 'request'; request: RtspRequest }
  | { kind: 'interleaved'; channel: number; packet: Buffer };

/** Splits what arrived so far into RTSP requests and `$`-framed RTP/RTCP packets; returns what is left over. */
function takeChunks(buffer: Buffer): { chunks: Chunk[]; rest: Buffer } {
  const chunks: Chunk[] = [];
  let rest = buffer;
  while (rest.length > 0) {
    if (rest[0] === 0x24) {
      if (rest.length < 4) break;
      const end = 4 + rest.readUInt16BE(2);
      if (rest.length < end) break;
      chunks.push({ kind: 'interleaved', channel: rest[1]!, packet: rest.subarray(4, end) });
      rest = rest.subarray(end);
      continue;
    }
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const [requestLine = '', ...lines] = rest.subarray(0, headEnd).toString('utf8').split('\r\n');
    const headers = new Map(
      lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const end = headEnd + 4 + Number(headers.get('content-length') ?? 0);
    if (rest.length < end) break;
    const [method = '', uri = ''] = requestLine.split(' ');
    chunks.push({
      kind: 'request',
      request: { method, uri, headers, body: rest.subarray(headEnd + 4, end).toString('utf8') },
    });
    rest = rest.subarray(end);
  }
  return { chunks, rest };
}

/** An IDR slice (5) or SPS (7) starting in this RTP packet: single NAL, STAP-A (24) or FU-A (28) start. */
function startsH264Keyframe(rtp: Buffer): boolean {
  let offset = 12 + 4 * (rtp[0]! & 0x0f);
  if (rtp[0]! & 0x10) offset += 4 + 4 * rtp.readUInt16BE(offset + 2);
  const type = rtp[offset]! & 0x1f;
  const inner =
    type === 28
      ? rtp[offset + 1]! & 0x80
        ? rtp[offset + 1]! & 0x1f
        : 0
      : type === 24
        ? rtp[offset + 3]! & 0x1f
        : type;
  return inner === 5 || inner === 7;
}

interface Player {
  socket: Socket;
  /** control (e.g. `streamid=0`) → the player's RTP channel; RTCP is the next one */
  channels: Map<string, number>;
  playing: boolean;
  sawKeyframe: boolean;
}

interface Mount {
  sdp: string;
  /** publisher RTP channel → control */
  controls: Map<number, string>;
}

const pathOf = (uri: string) => new URL(uri).pathname.replace(/\/$/, '');
const controlOf = (uri: string) => pathOf(uri).split('/').pop() ?? '';
const interleavedOf = (transport: string) => Number(/interleaved=(\d+)/.exec(transport)?.[1] ?? 0);

export async function startTestCamera(options: TestCameraOptions): Promise<TestCamera> {
  const mounts = new Map<string, Mount>();
  const players = new Set<Player>();
  const sockets = new Set<Socket>();
  let announced: (() => void) | undefined;
  const recording = new Promise<void>((resolve) => (announced = resolve));

  const authorised = (request: RtspRequest) => {
    if (!options.credentials) return true;
    const { user, password } = options.credentials;
    return (
      request.headers.get('authorization') ===
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    );
  };

  function serve(socket: Socket) {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const player: Player = { socket, channels: new Map(), playing: false, sawKeyframe: false };
    let publishing: { path: string; mount: Mount } | undefined;
    let describedPath: string | undefined;
    const session = randomUUID().slice(0, 8);
    let pending = Buffer.alloc(0);

    const reply = (request: RtspRequest, status: string, headers: string[] = [], body = '') => {
      const lines = [`RTSP/1.0 ${status}`, `CSeq: ${request.headers.get('cseq') ?? '0'}`, ...headers];
      if (body) lines.push('Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(body)}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    };

    const forward = (mount: Mount, channel: number, packet: Buffer) => {
      const control = mount.controls.get(channel - (channel % 2));
      if (control === undefined) return;
      for (const listener of players) {
        const base = listener.channels.get(control);
        if (!listener.playing || base === undefined) continue;
        const rtcp = channel % 2 === 1;
        if (!listener.sawKeyframe && (rtcp || !startsH264Keyframe(packet))) continue;
        listener.sawKeyframe = true;
        const frame = Buffer.alloc(4);
        frame.writeUInt8(0x24, 0);
        frame.writeUInt8(base + (rtcp ? 1 : 0), 1);
        frame.writeUInt16BE(packet.length, 2);
        listener.socket.write(Buffer.concat([frame, packet]));
      }
    };

    const handle = (request: RtspRequest) => {
      const recordMode = /mode=record/i.test(request.headers.get('transport') ?? '');
      const fromPublisher = request.method === 'ANNOUNCE' || recordMode || publishing !== undefined;
      if (!fromPublisher && request.method !== 'OPTIONS' && !authorised(request))
        return reply(request, '401 Unauthorized', ['WWW-Authenticate: Basic realm="test camera"']);
      switch (request.method) {
        case 'OPTIONS':
          return reply(request, '200 OK', [
            'Public: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, GET_PARAMETER, TEARDOWN',
          ]);
        case 'ANNOUNCE': {
          const mount: Mount = { sdp: request.body, controls: new Map() };
          publishing = { path: pathOf(request.uri), mount };
          return reply(request, '200 OK');
        }
        case 'DESCRIBE': {
          const mount = mounts.get(pathOf(request.uri));
          if (!mount) return reply(request, '404 Not Found');
          describedPath = pathOf(request.uri);
          return reply(request, '200 OK', [`Content-Base: ${request.uri.replace(/\/?$/, '/')}`], mount.sdp);
        }
        case 'SETUP': {
          const transport = request.headers.get('transport') ?? '';
          if (!/RTP\/AVP\/TCP/i.test(transport)) return reply(request, '461 Unsupported Transport');
          const channel = interleavedOf(transport);
          if (publishing) publishing.mount.controls.set(channel, controlOf(request.uri));
          else if (describedPath) player.channels.set(controlOf(request.uri), channel);
          else return reply(request, '455 Method Not Valid in This State');
          return reply(request, '200 OK', [`Transport: ${transport}`, `Session: ${session};timeout=60`]);
        }
        case 'RECORD':
          if (!publishing) return reply(request, '455 Method Not Valid in This State');
          mounts.set(publishing.path, publishing.mount);
          reply(request, '200 OK', [`Session: ${session}`]);
          return announced?.();
        case 'PLAY':
          if (player.channels.size === 0) return reply(request, '455 Method Not Valid in This State');
          players.add(player);
          player.playing = true;
          return reply(request, '200 OK', [`Session: ${session}`, 'Range: npt=0.000-']);
        case 'GET_PARAMETER':
          return reply(request, '200 OK', [`Session: ${session}`]);
        case 'TEARDOWN':
          reply(request, '200 OK', [`Session: ${session}`]);
          return socket.end();
        default:
          return reply(request, '501 Not Implemented');
      }
    };

    socket.on('data', (data: Buffer) => {
      const taken = takeChunks(Buffer.concat([pending, data]));
      pending = Buffer.from(taken.rest);
      for (const chunk of taken.chunks) {
        if (chunk.kind === 'request') handle(chunk.request);
        else if (publishing) forward(publishing.mount, chunk.channel, chunk.packet);
      }
    });
    socket.once('close', () => {
      players.delete(player);
      if (publishing && mounts.get(publishing.path) === publishing.mount) mounts.delete(publishing.path);
    });
  }

  const server: Server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = (path = options.path, credentials?: Credentials) =>
    `rtsp://${credentials ? `${credentials.user}:${credentials.password}@` : ''}127.0.0.1:${port}${path}`;

  const pusher: ChildProcess = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-stream_loop', '-1', '-i', options.video],
      ...['-c', 'copy', '-f', 'rtsp', '-rtsp_transport', 'tcp', url()],
    ],
    { stdio: 'ignore' },
  );
  const pusherExited = new Promise<void>((resolve) => pusher.once('exit', () => resolve()));
  const freeze = async () => {
    pusher.kill('SIGKILL');
    await pusherExited;
  };
  await Promise.race([
    recording,
    pusherExited.then(() => {
      throw new Error('the RTSP pusher (ffmpeg) exited before RECORD');
    }),
  ]);

  return {
    port,
    url,
    freeze,
    async stop() {
      await freeze();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
