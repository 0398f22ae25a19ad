import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { type AgentConfig, describeConfigError, loadConfig } from './config/config.ts';
import { type Sounder, sounderFor } from './feedback/sounder.ts';
import { Gate } from './gate.ts';
import { Journal } from './journal/journal.ts';
import type { SourceEvent } from './read/source-event.ts';
import { manualDesk } from './status/manual-entry.ts';
import { StatusPage } from './status/status-page.ts';
import { HttpTransport } from './sync/http-transport.ts';
import { applyRevocationPush } from './sync/revocation-push.ts';
import { type Clock, ServerClock, systemClock } from './sync/server-clock.ts';
import { SocketTransport } from './sync/socket-transport.ts';
import { fetchTrust, TrustCache } from './sync/trust-download.ts';
import { Uploader } from './sync/uploader.ts';

export interface AgentOptions {
  /** the gate PC's clock; simulations pass a skewed one */
  localClock?: Clock;
  sounder?: Sounder;
  /** serve the local status page (off in tests that run many agents) */
  statusPage?: boolean;
  log?: (line: string) => void;
}

export interface RunningAgent {
  gate: Gate;
  journal: Journal;
  uploader: Uploader;
  trust: TrustCache;
  clock: ServerClock;
  statusPort: number | null;
  handle(event: SourceEvent): void;
  /** fetch the trust snapshot (or its increment) now */
  refreshTrust(): Promise<void>;
  stop(): Promise<void>;
}

const requestTimeoutMs = 10_000;

/**
 * Wires one gate agent: journal, clock, trust cache, uploader (socket first, HTTP fallback), status page
 * and sounds. Uploads and trust downloads run on separate loops, so a failing upload never blocks a download.
 */
export async function startAgent(config: AgentConfig, options: AgentOptions = {}): Promise<RunningAgent> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const journal = new Journal(config.journalPath);
  const clock = new ServerClock(options.localClock ?? systemClock, journal);
  const trust = new TrustCache(journal, clock, nodeEd25519, config.server.rootPublicKeys);
  const observe = (serverMs: number, sentAt: Date, answeredAt: Date) =>
    clock.observe(serverMs, sentAt, answeredAt);
  const transportOptions = {
    serverUrl: config.server.url,
    deviceToken: config.server.deviceToken,
    timeoutMs: requestTimeoutMs,
    onServerTime: observe,
    localClock: () => clock.local(),
  };
  const socket = new SocketTransport({
    serverUrl: config.server.url,
    deviceToken: config.server.deviceToken,
    timeoutMs: requestTimeoutMs,
  });
  const http = new HttpTransport(transportOptions);

  let sounder = options.sounder;
  if (!sounder) {
    const chosen = sounderFor(config.sound);
    if (chosen.note)
      log(`${chosen.note}: 找不到 aplay/paplay，无提示音 / no aplay or paplay found, sounds off`);
    sounder = chosen.sounder;
  }

  const gate = new Gate({
    config,
    journal,
    clock,
    sounder,
    ed25519: nodeEd25519,
    trust: () => trust.state,
    show: (change) => page?.update(change),
    journaled: () => uploader.nudge(),
  });
  const page =
    options.statusPage === false
      ? null
      : new StatusPage(
          emptyStatus(config.gateId),
          config.inputs.some((input) => input.kind === 'manual')
            ? manualDesk(gate, () => clock.local().getTime())
            : null,
        );
  const uploader: Uploader = new Uploader(
    journal,
    [socket, http],
    {
      gateId: config.gateId,
      batchSize: config.sync.batchSize,
      maxBackoffMs: config.sync.maxBackoffMs,
    },
    clock,
    {
      progress: () => page?.update(gate.queueAndSnapshot()),
      conflict: (entry) => {
        log(
          `CONFLICT scan ${entry.scanId}: provisional ${entry.verdict.outcome}, server ${entry.serverOutcome}`,
        );
        gate.conflict(entry);
      },
      refusal: (refusal) => log(`REFUSED scan ${refusal.scanId}: ${refusal.code}`),
    },
  );

  // Refreshes in flight are awaited on stop, and a download that lands after stop began is dropped, so the
  // journal is never written after it is closed.
  let stopping = false;
  const refreshesInFlight = new Set<Promise<void>>();
  const refreshOnce = async () => {
    const fetched = await fetchTrust(
      config.server.url,
      config.server.deviceToken,
      trust.held,
      clock,
      requestTimeoutMs,
    );
    if (stopping) return;
    const result = fetched.ok ? trust.accept(fetched.body) : fetched;
    if (!result.ok) log(`TRUST ${result.code}: ${result.detail}`);
    page?.update({ ...gate.queueAndSnapshot(), online: fetched.ok });
  };
  const refreshTrust = async () => {
    if (stopping) return;
    const refresh = refreshOnce();
    refreshesInFlight.add(refresh);
    try {
      await refresh;
    } finally {
      refreshesInFlight.delete(refresh);
    }
  };

  // live pushes: an increment to fetch, or revocations (up to 1,000 a push) to apply before it arrives
  socket.socket.on('trust:changed', () => void refreshTrust());
  socket.socket.on('trust:revocation', (payload: unknown) => {
    if (stopping) return;
    const pushed = applyRevocationPush(payload, trust);
    if (!pushed.ok) log(`TRUST ${pushed.code}: ${pushed.detail}`);
  });
  socket.socket.on('connect', () => {
    page?.update({ online: true });
    uploader.nudge();
    void refreshTrust();
  });
  socket.socket.on('disconnect', () => page?.update({ online: false }));

  const statusPort = page ? await page.listen(config.statusPort) : null;
  page?.update(gate.queueAndSnapshot());
  uploader.start();
  void refreshTrust();
  const trustTimer = setInterval(() => void refreshTrust(), config.sync.trustPollMs);
  // keeps the snapshot age on screen current between events
  const ageTimer = setInterval(() => page?.update(gate.queueAndSnapshot()), 30_000);

  return {
    gate,
    journal,
    uploader,
    trust,
    clock,
    statusPort,
    handle: (event) => {
      gate.handle(event);
    },
    refreshTrust,
    async stop() {
      stopping = true;
      clearInterval(trustTimer);
      clearInterval(ageTimer);
      await uploader.stop();
      await socket.close();
      await Promise.allSettled([...refreshesInFlight]);
      await page?.close();
      journal.close();
    },
  };
}

function emptyStatus(gateId: number) {
  return { gateId, last: null, lot: null, conflict: null, snapshot: null, queueLength: 0, online: false };
}

export function configOrExit(path: string): AgentConfig {
  const result = loadConfig(path);
  if (!result.ok) {
    process.stderr.write(`${describeConfigError(result.error)}\n`);
    process.exit(2);
  }
  return result.config;
}

interface Flags {
  positional: string[];
  values: Map<string, string>;
}

function parseFlags(argv: readonly string[]): Flags {
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (arg.includes('=')) values.set(arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--'))
      values.set(arg.slice(2), argv[++i]!);
    else values.set(arg.slice(2), 'true');
  }
  return { positional, values };
}

const defaultConfigPath = process.env.GATE_AGENT_CONFIG ?? '/etc/liangzheng/gate-agent.json';

const usage = `gate-agent run [--config FILE]              扫描并判定 / scan and judge
gate-agent doctor [--config FILE]           检查设备与连接 / check devices and links
gate-agent enroll CODE --server URL [--config FILE]   用登记码登记本道口 / enrol this gate with a one-time code
gate-agent simulate SCRIPT.json [--config FILE] [--server URL] [--token T] [--gate N]
           [--root-key KEY] [--journal FILE] [--clock-skew-hours H] [--no-status-page]`;

/** The command line: `run`, `doctor`, `enroll` and `simulate`. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  if (command === 'doctor') {
    const { formatChecks, realDoctorDeps, runDoctor } = await import('./doctor/doctor.ts');
    const config = configOrExit(flags.values.get('config') ?? defaultConfigPath);
    const checks = await runDoctor(config, await realDoctorDeps());
    process.stdout.write(`${formatChecks(checks)}\n`);
    return checks.some((check) => check.level === 'fail') ? 1 : 0;
  }
  if (command === 'enroll') {
    const { runEnroll } = await import('./enroll/enroll-command.ts');
    return runEnroll(flags.positional[0], flags.values, flags.values.get('config') ?? defaultConfigPath);
  }
  if (command === 'simulate') {
    const { runSimulation } = await import('./simulate/simulate-command.ts');
    return runSimulation(flags.positional[0], flags.values);
  }
  if (command === 'run' || command === undefined) {
    const { runGate } = await import('./run.ts');
    return runGate(configOrExit(flags.values.get('config') ?? defaultConfigPath));
  }
  process.stderr.write(`${usage}\n`);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
