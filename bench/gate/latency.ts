/**
 * Read-to-verdict latency of the gate agent. Offline: the read judged with the cached snapshot and journaled
 * (fsynced) — the moment the gate can beep. Online: the same, then `scan:submit` over loopback to a real server
 * process until its verdict comes back. Targets: p99 ≤ 10 ms offline, ≤ 50 ms online.
 */
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { scannedArrival } from '@liangzheng/gate-agent/journal/journal';
import { manualRead } from '@liangzheng/gate-agent/read/manual';
import { HttpLotTransport } from '@liangzheng/gate-agent/sync/lot-transport';
import { ServerClock } from '@liangzheng/gate-agent/sync/server-clock';
import { SocketTransport } from '@liangzheng/gate-agent/sync/socket-transport';
import { submissionOf } from '@liangzheng/gate-agent/sync/transport';
import { fetchTrust, TrustCache } from '@liangzheng/gate-agent/sync/trust-download';
import { provisionalVerdict } from '@liangzheng/gate-agent/verdict/provisional';
import { demoDeviceToken, ServerProcess } from '../../tests/faults/agent-server.ts';
import { benchGate, percentile, printTable } from './agent-fixture.ts';

const reads = Number(process.env.READS ?? 1000);
const targets = { offline: 10, online: 50 };

// 500 reads and their lots from one device within a minute: far past a gate's allowance, which is not measured here
const server = await ServerProcess.start({ LIANGZHENG_RATE_LIMIT_PER_MINUTE: '100000' });
try {
  const codes = await Promise.all(
    Array.from({ length: 20 }, (_, i) => server.issueCode({ quantity: 100_000 + i })),
  );
  const { gate, journal } = benchGate(() => trust.state);
  const clock = new ServerClock({ now: () => new Date() }, journal);
  const trust = new TrustCache(journal, clock, nodeEd25519, [server.rootPublicKey()]);
  const fetched = await fetchTrust(server.url, demoDeviceToken, null, clock, 10_000);
  if (!fetched.ok || !trust.accept(fetched.body).ok) throw new Error('no trust snapshot from the server');

  const offline: number[] = [];
  for (let i = 0; i < reads; i++) {
    const read = manualRead(codes[i % codes.length]!, 'bench', Date.now())!;
    if (i % 2 === 0) gate.openLot({ productName: '大白菜', category: 'vegetable', quantity: 10, unit: 'kg' });
    const started = performance.now();
    const entry = gate.handle({ kind: 'read', read });
    offline.push(performance.now() - started);
    if (entry?.verdict.outcome === undefined) throw new Error('no verdict');
  }

  // the same reads judged without the journal write: what the fsync costs on this disk
  const judgeOnly: number[] = [];
  const lot = { id: 'bench', declaration: null, documents: [], auto: true };
  for (let i = 0; i < reads; i++) {
    const started = performance.now();
    provisionalVerdict({
      text: codes[i % codes.length]!,
      lot,
      trust: trust.state,
      now: new Date(),
      maxSnapshotAgeHours: 24,
      ed25519: nodeEd25519,
    });
    judgeOnly.push(performance.now() - started);
  }

  const socket = new SocketTransport({
    serverUrl: server.url,
    deviceToken: demoDeviceToken,
    timeoutMs: 10_000,
  });
  await new Promise<void>((resolve) => socket.socket.once('connect', () => resolve()));
  const lots = new HttpLotTransport(server.url, demoDeviceToken, 10_000);
  const gateId = server.demoGateId();
  const online: number[] = [];
  const onlineReads = Math.min(reads, 500);
  for (let i = 0; i < onlineReads; i++) {
    const lot = gate.openLot({ productName: '大白菜', category: 'vegetable', quantity: 10, unit: 'kg' });
    await lots.register(
      {
        lotId: lot.id,
        declaration: lot.declaration!,
        arrival: scannedArrival,
        openedAt: new Date(),
        syncState: 'pending',
      },
      gateId,
    );
    const read = manualRead(codes[i % codes.length]!, 'bench', Date.now())!;
    const started = performance.now();
    const entry = gate.handle({ kind: 'read', read })!;
    const answer = await socket.submit([submissionOf(entry, gateId)]);
    online.push(performance.now() - started);
    if (!answer.ok || answer.answers.length !== 1)
      throw new Error(`no server verdict: ${JSON.stringify(answer)}`);
  }
  await socket.close();
  journal.close();

  const row = (name: string, samples: number[], target: number) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    return [
      name,
      samples.length,
      percentile(sorted, 50).toFixed(2),
      p99.toFixed(2),
      target,
      (p99 / target).toFixed(2),
    ];
  };
  printTable(
    'gate agent: read → verdict latency (ms)',
    ['path', 'reads', 'p50', 'p99', 'target p99', 'p99 / target'],
    [
      row('offline: judge only (no journal)', judgeOnly, targets.offline),
      row('offline (judge + fsynced journal)', offline, targets.offline),
      row('online (+ scan:submit ack, loopback)', online, targets.online),
    ],
  );
} finally {
  await server.stop();
}
