import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentConfig, describeConfigError, loadConfig, parseConfig } from '../config/config.ts';
import { startAgent } from '../main.ts';
import { skewedClock } from '../sync/server-clock.ts';
import { demoCodes } from './demo-codes.ts';
import { demoCodeIndexes, loadScript } from './script.ts';
import { simulate } from './simulate.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** docs/demo.md: the demo server's gate device at 马王堆 east gate. Demo only. */
const demoDeviceToken = 'lz-demo-gate-token-mawangdui-east-0001';

/**
 * A demo server on this machine keeps its root key in its data folder; reading the public half from there
 * saves copying it into a config file. Never used for a remote server.
 */
function localRootPublicKey(serverUrl: string): string | null {
  const host = new URL(serverUrl).hostname;
  if (host !== 'localhost' && host !== '127.0.0.1' && host !== '::1') return null;
  for (const dir of [join(packageDir, '../server/data'), join(packageDir, '../data'), resolve('data')]) {
    const file = join(dir, 'root-key.pem');
    if (!existsSync(file)) continue;
    const spki = createPublicKey(createPrivateKey(readFileSync(file, 'utf8'))).export({
      format: 'der',
      type: 'spki',
    });
    return spki.subarray(spki.length - 32).toString('base64url');
  }
  return null;
}

function configFrom(
  flags: Map<string, string>,
): { ok: true; config: AgentConfig } | { ok: false; message: string } {
  const configPath = flags.get('config');
  if (configPath) {
    const loaded = loadConfig(configPath);
    return loaded.ok ? loaded : { ok: false, message: describeConfigError(loaded.error) };
  }
  const url = flags.get('server') ?? process.env.LIANGZHENG_SERVER_URL ?? 'http://localhost:3000';
  const rootKey = flags.get('root-key') ?? process.env.LIANGZHENG_ROOT_PUBLIC_KEY ?? localRootPublicKey(url);
  const parsed = parseConfig(
    {
      server: {
        url,
        deviceToken: flags.get('token') ?? process.env.LIANGZHENG_DEVICE_TOKEN ?? demoDeviceToken,
        rootPublicKeys: rootKey ? [rootKey] : [],
      },
      gateId: Number(flags.get('gate') ?? 1),
      sound: { output: flags.get('sound') ?? 'none' },
      journalPath: flags.get('journal') ?? join(mkdtempSync(join(tmpdir(), 'gate-sim-')), 'journal.sqlite'),
      statusPort: Number(flags.get('status-port') ?? 4100),
    },
    'simulate flags',
    process.cwd(),
  );
  return parsed.ok ? parsed : { ok: false, message: describeConfigError(parsed.error) };
}

const words = {
  accept: '放行 accept',
  review: '复核 review',
  reject: '拒绝 reject',
  pending: '待续扫 pending',
} as const;

/** `gate-agent simulate SCRIPT.json`: plays the script, waits for the uploads, prints what each scan got. */
export async function runSimulation(
  scriptPath: string | undefined,
  flags: Map<string, string>,
): Promise<number> {
  const path = scriptPath ?? join(packageDir, 'simulate/demo-gate.json');
  const loaded = loadScript(path);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.code} ${path}\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  const configured = configFrom(flags);
  if (!configured.ok) {
    process.stderr.write(`${configured.message}\n`);
    return 2;
  }
  const config = configured.config;
  const skewHours = Number(flags.get('clock-skew-hours') ?? 0);
  const quiet = flags.get('quiet') === 'true';
  const agent = await startAgent(config, {
    localClock: skewedClock(skewHours * 3_600_000),
    statusPage: flags.get('no-status-page') !== 'true',
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (agent.statusPort) process.stderr.write(`status page: http://127.0.0.1:${agent.statusPort}/\n`);
  await agent.refreshTrust();
  const wanted = demoCodeIndexes(loaded.script);
  let codes: string[] = [];
  if (wanted.length > 0) {
    const fetched = await demoCodes(config.server.url, Math.max(...wanted) + 1);
    if (fetched.ok) codes = fetched.codes;
    else process.stderr.write(`${fetched.code}: ${fetched.detail} — steps with demo codes are skipped\n`);
    // codes issued just now may come with a new issuer key: take the trust increment before scanning them
    await agent.refreshTrust();
  }
  await simulate(
    agent,
    loaded.script,
    ({ step, read, skipped, problem }) => {
      if (problem) process.stderr.write(`#${step} ${problem.code}: ${problem.detail}\n`);
      if (quiet || skipped || !read) return;
      const last = agent.gate.lastEntry;
      const outcome = last ? words[last.verdict.outcome] : '?';
      const reasons = [...new Set(last?.verdict.reasons.map((r) => r.code))].join(',');
      process.stdout.write(
        `#${step} ${read.source.padEnd(6)} ${outcome.padEnd(14)} ${reasons.padEnd(24)} ${read.text.slice(0, 60)}\n`,
      );
    },
    codes,
  );
  const deadline = Date.now() + Number(flags.get('drain-seconds') ?? 30) * 1000;
  while (Date.now() < deadline) {
    const counts = agent.journal.counts();
    if (counts.pending + counts.sent === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const counts = agent.journal.counts();
  process.stdout.write(
    `journal ${config.journalPath}: ${counts.total - counts.local} scans (+${counts.local} repeats kept locally), ` +
      `acked ${counts.acked}, conflict ${counts.conflict}, refused ${counts.refused}, ` +
      `unsent ${counts.pending + counts.sent}\n`,
  );
  if (flags.get('keep-running') === 'true') {
    await new Promise<void>((r) => {
      process.once('SIGINT', r);
      process.once('SIGTERM', r);
    });
  }
  await agent.stop();
  return counts.pending + counts.sent === 0 ? 0 : 1;
}
