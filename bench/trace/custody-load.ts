import { Agent, request } from 'node:http';
import { Worker } from 'node:worker_threads';
import { DEMO_PASSWORD } from '@liangzheng/server/demo/demo-data';
import { io } from 'socket.io-client';
import type { BulkWriter, Cell } from './bulk.ts';
import { certificateColumns, documentColumns, lotColumns } from './province.ts';

/** A console session over real HTTP, as a browser holds it. */
export async function session(base: string, username: string): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

/**
 * One recall of a producer certificate with `descendants` below it, timed from the request until a gate device's
 * socket has been told of every revoked certificate: what "the gate knows" means for a recall.
 */
export async function timedRecall(
  base: string,
  deviceToken: string,
  regulator: Record<string, string>,
  certificateId: string,
  descendants: number,
): Promise<number> {
  const socket = io(base, { auth: { token: deviceToken }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const expected = descendants + 1;
  let told = 0;
  const allTold = new Promise<void>((resolve) => {
    socket.on('trust:revocation', (event: { certificateIds: string[] }) => {
      told += event.certificateIds.length;
      if (told >= expected) resolve();
    });
  });
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/recalls`, {
    method: 'POST',
    headers: regulator,
    body: JSON.stringify({ certificateId, reason: '基准测试召回' }),
  });
  if (response.status !== 201) throw new Error(`recall: ${response.status} ${await response.text()}`);
  const { revoked } = (await response.json()) as { revoked: string[] };
  if (revoked.length !== expected) throw new Error(`recall revoked ${revoked.length}, expected ${expected}`);
  await allTold;
  const elapsed = performance.now() - started;
  socket.close();
  return elapsed;
}

/**
 * Stock for repacks at one stall: `items` accepted lots, each of its own certificate of 大白菜 with `kilos` received.
 * The stall's inventory is materialised from them on first read, as from any accepted lot. Answers their
 * certificate ids.
 */
export async function stockStall(
  bulk: BulkWriter,
  place: { marketId: number; gateId: number; stallId: number; issuerId: number; regionCode: string },
  items: number,
  kilos: number,
): Promise<Set<string>> {
  const at = new Date(Date.now() - 3_600_000);
  const certificates: Cell[][] = [];
  const lots: Cell[][] = [];
  const documents: Cell[][] = [];
  for (let i = 0; i < items; i++) {
    const id = `30${i.toString(16).padStart(14, '0')}`;
    certificates.push([
      id,
      'producer',
      place.issuerId,
      'bench000',
      `LZ1-BENCH-${id}`,
      1001,
      '大白菜',
      'vegetable',
      kilos,
      'kg',
      place.regionCode,
      '',
      '合成生产者',
      '13800000000',
      'quality_control',
      at,
      'valid',
      kilos,
      at,
      null,
    ]);
    lots.push([
      `bench-stock-${i}`,
      place.marketId,
      place.gateId,
      '湘A·00000',
      '',
      '大白菜',
      1001,
      'vegetable',
      kilos,
      'kg',
      false,
      'judged',
      'accept',
      at,
      at,
      place.stallId,
    ]);
    documents.push([`bench-stock-doc-${i}`, `bench-stock-${i}`, 'code', null, id, '{}', kilos, at]);
  }
  await bulk.insert('Certificate', certificateColumns, certificates);
  await bulk.insert('Lot', [...lotColumns, 'stallId'], lots);
  await bulk.insert('LotDocument', documentColumns, documents);
  return new Set(certificates.map((row) => row[0] as string));
}

export interface RepackLoad {
  done: number;
  refused: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** One POST over a kept-alive connection: node:http costs the load far less CPU than fetch, which shares the cores. */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Repacks of 1 kg into one certificate over real HTTP, `writers` at a time for `seconds`, each writer on a connection
 * of its own: each draws from its own item (`items` distinct) or all from the first one (`oneSource`). Refusals (an
 * item run dry) are counted apart.
 */
export async function repackLoad(
  base: string,
  vendor: Record<string, string>,
  stallId: number,
  itemIds: readonly string[],
  writers: number,
  seconds: number,
  oneSource: boolean,
): Promise<RepackLoad> {
  const times: number[] = [];
  let refused = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: writers });
  const url = new URL(`${base}/api/v1/stalls/${stallId}/transformations`);
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let round = 0;
      while (performance.now() < until) {
        const itemId = oneSource ? itemIds[0]! : itemIds[(w + round * writers) % itemIds.length]!;
        round++;
        const body = JSON.stringify({
          kind: 'repack',
          inputs: [{ itemId, quantity: 1 }],
          outputs: [{ quantity: 1 }],
        });
        const t0 = performance.now();
        const status = await post(agent, url, vendor, body);
        if (status === 201) times.push(performance.now() - t0);
        else refused++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? Number.NaN;
  return { done: times.length, refused, perSecond: times.length / elapsed, p50: at(50), p99: at(99) };
}

export interface RepackLoadParameters {
  base: string;
  vendor: Record<string, string>;
  stallId: number;
  itemIds: readonly string[];
  writers: number;
  seconds: number;
  oneSource: boolean;
}

/**
 * `repackLoad` from a worker thread (repack-client.ts), so the load's HTTP client does not share the server's event
 * loop; on this machine's two cores it still shares the CPU. Resolves once the thread has loaded (its start-up is not
 * part of what is measured); `run` starts the load and answers its result.
 */
export async function repackClientThread(
  load: RepackLoadParameters,
): Promise<{ run(): Promise<RepackLoad> }> {
  // The thread registers tsx's loader itself (a worker does not inherit it), then loads the client.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const client = JSON.stringify(new URL('./repack-client.ts', import.meta.url).href);
  const worker = new Worker(
    `import(${tsx}).then(({ register }) => { register(); return import(${client}); });`,
    { eval: true, workerData: load },
  );
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await next();
  return {
    async run() {
      const result = next();
      worker.postMessage('go');
      const load = (await result) as RepackLoad;
      await worker.terminate();
      return load;
    },
  };
}
