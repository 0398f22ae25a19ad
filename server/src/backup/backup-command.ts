import path from 'node:path';
import { loadConfig } from '../config/config.ts';
import { type BackupProgress, backupDatabase, writeBackupManifest } from './backup.ts';

/**
 * `npm run backup -w server [-- <file>]`: a checked copy of the database, taken while the server runs, with a
 * manifest (size, SHA-256, record counts, verified audit rows) beside it. Exit 0 done, 1 failed, 2 bad setup.
 */
const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(`配置有误 / configuration invalid:\n  ${loaded.issues.join('\n  ')}`);
  process.exit(2);
}
const { databaseUrl, dataDir } = loaded.config;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const destination = path.resolve(
  process.argv[2] ??
    path.join(dataDir, 'backups', `liangzheng-${stamp}.${databaseUrl.startsWith('file:') ? 'db' : 'dump'}`),
);

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
function report({ done, total }: BackupProgress) {
  const share = total > 0 ? ` ${Math.min(100, Math.round((100 * done) / total))}%` : '';
  process.stderr.write(`备份中 / backing up:${share} ${mb(done)}${total > 0 ? ` / ${mb(total)}` : ''} MB\n`);
}

const result = await backupDatabase(databaseUrl, destination, report);
if (!result.ok) {
  console.error(`备份失败 / backup failed: ${result.code}: ${result.message}`);
  process.exitCode = 1;
} else {
  const { manifest } = result;
  writeBackupManifest(destination, manifest);
  const counts = manifest.counts
    ? ` · 合格证 ${manifest.counts.certificates} · 扫码 ${manifest.counts.scans} · 批次 ${manifest.counts.lots} · 违规 ${manifest.counts.violations} · 审计链 ${manifest.auditRows} 行已核验`
    : '';
  console.log(
    `备份完成 / backup done: ${destination} (${mb(manifest.bytes)} MB, sha256 ${manifest.sha256})${counts}`,
  );
}
