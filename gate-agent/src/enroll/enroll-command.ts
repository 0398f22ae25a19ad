import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Enrolled } from '@liangzheng/domain';
import { parseConfig } from '../config/config.ts';

export type EnrollOutcome =
  | { ok: true; deviceId: string; gateId: number; configPath: string }
  | { ok: false; code: string; message: string };

/**
 * `gate-agent enroll <code> --server <url>`: trades a one-time code from the admin screen for this gate's device
 * token, and writes the server address, the token, the gate and the platform root key into the configuration
 * file. What the file already holds (scanners, sound, journal) is kept.
 */
export async function enroll(code: string, serverUrl: string, configPath: string): Promise<EnrollOutcome> {
  const server = serverUrl.replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${server}/api/v1/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  } catch (cause) {
    return { ok: false, code: 'SERVER_UNREACHABLE', message: `${server}: ${String(cause)}` };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status !== 201) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return {
      ok: false,
      code: error?.code ?? `HTTP_${response.status}`,
      message: error?.message ?? 'the server refused the code',
    };
  }
  const enrolled = Enrolled.parse(body);
  const existing = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {};
  const config = {
    ...existing,
    server: {
      ...existing.server,
      url: server,
      deviceToken: enrolled.token,
      rootPublicKeys: [enrolled.rootPublicKey],
    },
    gateId: enrolled.gateId,
  };
  const checked = parseConfig(config, configPath, dirname(resolve(configPath)));
  if (!checked.ok) return { ok: false, code: checked.error.code, message: checked.error.problems.join('; ') };
  mkdirSync(dirname(resolve(configPath)), { recursive: true });
  // The token is the device's credential: readable by the agent's user only.
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(configPath, 0o600);
  return { ok: true, deviceId: enrolled.deviceId, gateId: enrolled.gateId, configPath };
}

/** The command line's side: exit 0 when enrolled, 1 when refused, 2 on a malformed command line. */
export async function runEnroll(
  code: string | undefined,
  values: Map<string, string>,
  configPath: string,
): Promise<number> {
  const server = values.get('server');
  if (!code || !server) {
    process.stderr.write('usage: gate-agent enroll CODE --server URL [--config FILE]\n');
    return 2;
  }
  const outcome = await enroll(code, server, configPath);
  if (!outcome.ok) {
    process.stderr.write(`登记失败 / enrollment failed: ${outcome.code}: ${outcome.message}\n`);
    return 1;
  }
  process.stdout.write(
    `已登记 / enrolled: device ${outcome.deviceId} at gate ${outcome.gateId}; configuration written to ${outcome.configPath}\n`,
  );
  return 0;
}
