/**
 * Time to sync a backlog of journaled scans (a gate that was offline for a long night) to a real server process
 * over loopback: batches of 500 scans (with the lots they need) in journal order over socket.io
 * (`scan:submit-batch`), with `POST /api/v1/scans/batch` as the fallback. Target: 50,000 scans in ≤ 60 s.
 */
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import type { NewJournalEntry } from '@liangzheng/gate-agent/journal/journal';
import { HttpTransport } from '@liangzheng/gate-agent/sync/http-transport';
import { ServerClock, systemClock } from '@liangzheng/gate-agent/sync/server-clock';
import { SocketTransport } from '@liangzheng/gate-agent/sync/socket-transport';
import { fetchTrust, TrustCache } from '@liangzheng/gate-agent/sync/trust-download';
import { Uploader } from '@liangzheng/gate-agent/sync/uploader';
import { demoDeviceToken, ServerProcess } from '../../tests/faults/agent-server.ts';
import { benchGate, printTable } from './agent-fixture.ts';

const scans = Number(process.env.SCANS ?? 50_000);
const perLot = Number(process.env.PER_LOT ?? 4);
const targetSeconds = (60 * scans) / 50_000;

const server = await ServerProcess.start();
try {
  const codes = await Promise.all(
    Array.from({ length: 50 }, (_, i) => server.issueCode({ quantity: 900_000 + i })),
  );
  const { journal } = benchGate(() => trust.state);
  const clock = new ServerClock(systemClock, journal);
  const trust = new TrustCache(journal, clock, nodeEd25519, [server.rootPublicKey()]);
  const fetched = await fetchTrust(server.url, demoDeviceToken, null, clock, 10_000);
  if (!fetched.ok || !trust.accept(fetched.body).ok) throw new Error('no trust snapshot from the server');

  // the backlog: what a night offline leaves in the journal (provisional verdicts included)
  const at = new Date();
  const entries: NewJournalEntry[] = [];
  for (let i = 0; i < scans; i++) {
    const lotId = `bench-${at.getTime()}-${Math.floor(i / perLot)}`;
    if (i % perLot === 0) {
      journal.recordLot({
        lotId,
        declaration: { productName: '大白菜', category: 'vegetable', quantity: 1, unit: 'kg' },
        openedAt: at,
      });
    }
    const text = codes[i % codes.length]!;
    entries.push({
      read: {
        text,
        source: 'hid',
        device: 'bench',
        symbology: 'qr',
        receivedAt: at.toISOString(),
        provenance: {},
      },
      verdict: {
        outcome: 'accept',
        reasons: [],
        codeKind: 'liangzheng',
        certificateId: null,
        snapshotVersion: 1,
      },
      lotId,
      deviceTime: at,
      serverTime: at,
      repeated: false,
    });
  }
  journal.recordMany(entries);

  const transportOptions = {
    serverUrl: server.url,
    deviceToken: demoDeviceToken,
    timeoutMs: 30_000,
  };
  const socket = new SocketTransport(transportOptions);
  await new Promise<void>((resolve) => socket.socket.once('connect', () => resolve()));
  const uploader = new Uploader(
    journal,
    [socket, new HttpTransport(transportOptions)],
    { gateId: server.demoGateId(), batchSize: 500, maxBackoffMs: 1000 },
    systemClock,
    { failure: (name, error) => process.stderr.write(`${name}: ${error.code} ${error.detail}\n`) },
  );
  const started = performance.now();
  let step = await uploader.drain();
  for (let retries = 0; step === 'failed' && retries < 20; retries++) {
    await new Promise((r) => setTimeout(r, 500));
    step = await uploader.drain();
  }
  const seconds = (performance.now() - started) / 1000;
  const counts = journal.counts();
  await socket.close();
  journal.close();
  const stored = server.scans().length;

  printTable(
    'gate agent: sync of a journaled backlog over loopback',
    ['scans', 'lots', 'acked+conflict', 'on server', 'seconds', 'scans/s', 'target s', 'seconds / target'],
    [
      [
        scans,
        Math.ceil(scans / perLot),
        counts.acked + counts.conflict,
        stored,
        seconds.toFixed(1),
        Math.round(scans / seconds),
        targetSeconds.toFixed(0),
        (seconds / targetSeconds).toFixed(2),
      ],
    ],
  );
} finally {
  await server.stop();
}
