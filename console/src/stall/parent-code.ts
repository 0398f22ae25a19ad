import { CertificateId } from '@liangzheng/domain/certificate/certificate';
import type { Api, ApiResult } from '../api/api.ts';

/**
 * A parent as the vendor gives it: the 16-hex id printed on a label, or the whole scanned/pasted code, which the
 * server's verification turns into its id.
 */
export async function parentIdOf(api: Api, text: string): Promise<ApiResult<string>> {
  const trimmed = text.trim();
  if (CertificateId.safeParse(trimmed).success) return { ok: true, value: trimmed };
  const verified = await api.verify(trimmed);
  if (!verified.ok) return verified;
  const id = verified.value.certificate?.id;
  if (!id) {
    return {
      ok: false,
      error: { code: verified.value.reason ?? 'MALFORMED', message: '', status: 422, body: verified.value },
    };
  }
  return { ok: true, value: id };
}
