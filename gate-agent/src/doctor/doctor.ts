import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { AgentConfig } from '../config/config.ts';
import { Journal } from '../journal/journal.ts';
import type { HidDeviceProvider } from '../scanner/hid/hid-device.ts';

export type CheckLevel = 'ok' | 'warn' | 'fail';

/** One finding, in both languages; `detail` is the raw fact (counts, error text) for the log. */
export interface Check {
  id: string;
  level: CheckLevel;
  zh: string;
  en: string;
  detail?: string;
}

export interface DoctorDeps {
  hid: HidDeviceProvider;
  /** lists /dev; tests pass a fixed list */
  devices: () => string[];
  hasCommand: (name: string) => boolean;
  fetch: typeof fetch;
  now: () => Date;
}

export const realDoctorDeps = async (): Promise<DoctorDeps> => ({
  hid: (await import('../scanner/hid/node-hid-provider.ts')).nodeHidProvider,
  devices: () => readdirSync('/dev'),
  hasCommand: (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0,
  fetch,
  now: () => new Date(),
});

function hidCheck(deps: DoctorDeps, config: AgentConfig): Check {
  const wanted = config.inputs.some((input) => input.kind === 'hid');
  let devices: ReturnType<HidDeviceProvider['list']>;
  try {
    devices = deps.hid.list();
  } catch (error) {
    const text = String(error);
    const libusb = text.includes('libusb');
    return {
      id: 'hid',
      level: wanted ? 'fail' : 'warn',
      zh: libusb ? '无法枚举 USB 扫码枪：缺少 libusb-1.0（apt install libusb-1.0-0）' : '无法枚举 USB 扫码枪',
      en: libusb
        ? 'Cannot list USB scanners: libusb-1.0 is missing (apt install libusb-1.0-0)'
        : 'Cannot list USB scanners',
      detail: text,
    };
  }
  const list = devices.map((d) =>
    `${d.vendorId.toString(16)}:${d.productId.toString(16)} ${d.product ?? ''}`.trim(),
  );
  if (wanted && devices.length === 0) {
    return {
      id: 'hid',
      level: 'fail',
      zh: '已配置 USB 扫码枪，但未发现任何 HID 设备（检查连接与 udev 规则）',
      en: 'A HID scanner is configured but no HID device was found (check the cable and udev rules)',
    };
  }
  return {
    id: 'hid',
    level: 'ok',
    zh: `HID 设备 ${devices.length} 个`,
    en: `${devices.length} HID device(s)`,
    detail: list.join('; '),
  };
}

function cameraCheck(deps: DoctorDeps, config: AgentConfig): Check {
  const videos = deps
    .devices()
    .filter((name) => /^video\d+$/.test(name))
    .map((name) => `/dev/${name}`);
  const cameras = config.inputs.flatMap((input) => (input.kind === 'camera' ? [input.url] : []));
  if (cameras.length > 0 && !deps.hasCommand('ffmpeg')) {
    return {
      id: 'camera',
      level: 'fail',
      zh: '已配置摄像头但未安装 ffmpeg',
      en: 'A camera is configured but ffmpeg is not installed',
    };
  }
  const missing = cameras.filter((url) => url.startsWith('/dev/') && !videos.includes(url));
  if (missing.length > 0) {
    return {
      id: 'camera',
      level: 'fail',
      zh: `找不到摄像头设备：${missing.join(', ')}`,
      en: `Camera device not found: ${missing.join(', ')}`,
      detail: `present: ${videos.join(', ') || 'none'}`,
    };
  }
  return {
    id: 'camera',
    level: 'ok',
    zh: `摄像头设备 ${videos.length} 个`,
    en: `${videos.length} camera device(s)`,
    detail: videos.join(', '),
  };
}

async function serverCheck(deps: DoctorDeps, config: AgentConfig): Promise<Check[]> {
  const url = config.server.url;
  let health: Response;
  try {
    // the server answers /healthz; /health is the name the README promises
    health = await deps.fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(5000) });
    await health.body?.cancel();
    if (health.status === 404) {
      health = await deps.fetch(new URL('/health', url), { signal: AbortSignal.timeout(5000) });
      await health.body?.cancel();
    }
  } catch (error) {
    return [
      {
        id: 'server',
        level: 'warn',
        zh: `无法连接服务器 ${url}：扫描照常进行，恢复后自动上传`,
        en: `Server ${url} unreachable: scanning continues offline and uploads when it returns`,
        detail: String(error),
      },
    ];
  }
  const checks: Check[] = [
    {
      id: 'server',
      level: health.ok ? 'ok' : 'warn',
      zh: `服务器可达 ${url}`,
      en: `Server reachable at ${url}`,
      detail: `HTTP ${health.status}`,
    },
  ];
  const trust = await deps
    .fetch(new URL('/api/v1/trust', url), {
      headers: { authorization: `Bearer ${config.server.deviceToken}` },
      signal: AbortSignal.timeout(5000),
    })
    .catch(() => null);
  await trust?.body?.cancel();
  if (trust && (trust.status === 401 || trust.status === 403)) {
    checks.push({
      id: 'token',
      level: 'fail',
      zh: '设备令牌无效或已被吊销',
      en: 'The device token is unknown or revoked',
      detail: `HTTP ${trust.status}`,
    });
  }
  return checks;
}

function journalChecks(deps: DoctorDeps, config: AgentConfig): Check[] {
  let journal: Journal;
  try {
    journal = new Journal(config.journalPath);
  } catch (error) {
    return [
      {
        id: 'journal',
        level: 'fail',
        zh: `无法打开本地日志 ${config.journalPath}`,
        en: `Cannot open the journal at ${config.journalPath}`,
        detail: String(error),
      },
    ];
  }
  try {
    const counts = journal.counts();
    const unsent = counts.pending + counts.sent;
    const checks: Check[] = [
      {
        id: 'journal',
        level: counts.refused > 0 ? 'warn' : 'ok',
        zh: `本地日志：共 ${counts.total} 条，待上传 ${unsent} 条，冲突 ${counts.conflict} 条，被拒 ${counts.refused} 条`,
        en: `Journal: ${counts.total} scans, ${unsent} waiting to upload, ${counts.conflict} conflicts, ${counts.refused} refused`,
        detail: counts.oldestUnsentAt ? `oldest unsent ${counts.oldestUnsentAt.toISOString()}` : undefined,
      },
    ];
    const snapshot = journal.loadSnapshot();
    if (!snapshot) {
      checks.push({
        id: 'snapshot',
        level: 'fail',
        zh: '尚无核验数据：联网前所有扫描都只能人工复核',
        en: 'No trust snapshot yet: until the agent connects, every scan goes to review',
      });
    } else {
      const hours = (deps.now().getTime() - snapshot.receivedAt.getTime()) / 3_600_000;
      const stale = hours > config.maxSnapshotAgeHours;
      checks.push({
        id: 'snapshot',
        level: stale ? 'fail' : 'ok',
        zh: `核验数据 v${snapshot.version}，已 ${hours.toFixed(1)} 小时${stale ? '，已过期' : ''}`,
        en: `Trust snapshot v${snapshot.version}, ${hours.toFixed(1)} h old${stale ? ', stale' : ''}`,
      });
    }
    return checks;
  } finally {
    journal.close();
  }
}

export async function runDoctor(config: AgentConfig, deps: DoctorDeps): Promise<Check[]> {
  const checks = [hidCheck(deps, config), cameraCheck(deps, config), ...(await serverCheck(deps, config))];
  if (config.server.rootPublicKeys.length === 0) {
    checks.push({
      id: 'root-key',
      level: 'fail',
      zh: '未配置平台根公钥（server.rootPublicKeys），无法验证核验数据',
      en: 'No platform root key configured (server.rootPublicKeys): trust data cannot be verified',
    });
  }
  if (config.sound.output === 'speaker' && !deps.hasCommand('aplay') && !deps.hasCommand('paplay')) {
    checks.push({
      id: 'sound',
      level: 'warn',
      zh: '找不到 aplay/paplay，无提示音',
      en: 'No aplay or paplay: no sounds',
    });
  }
  checks.push(...journalChecks(deps, config));
  return checks;
}

const marks: Record<CheckLevel, string> = { ok: '[ OK ]', warn: '[WARN]', fail: '[FAIL]' };

export function formatChecks(checks: readonly Check[]): string {
  return checks
    .map(
      (check) =>
        `${marks[check.level]} ${check.zh}\n       ${check.en}${check.detail ? `\n       (${check.detail})` : ''}`,
    )
    .join('\n');
}
