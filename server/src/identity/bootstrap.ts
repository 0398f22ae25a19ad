import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Db } from '../storage/db.ts';
import { hashPassword } from './password.ts';

export type Bootstrap = { created: false } | { created: true; password: string; generated: boolean };

/** On a database with no users, creates `admin` with the configured password or a generated one. */
export async function ensureAdmin(
  db: Db,
  audit: AuditLog,
  configured: string | undefined,
): Promise<Bootstrap> {
  if ((await db.user.count()) > 0) return { created: false };
  const password = configured ?? randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { username: 'admin', displayName: '系统管理员', role: 'admin', passwordHash },
    });
    await audit.append(tx, {
      actor: 'system',
      action: 'bootstrap_admin',
      entity: 'user',
      entityId: String(user.id),
    });
  });
  return { created: true, password, generated: configured === undefined };
}
