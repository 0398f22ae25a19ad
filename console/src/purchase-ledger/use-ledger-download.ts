import type { LedgerFormat } from '@liangzheng/domain/purchase-ledger/purchase-ledger';
import { useState } from 'react';

export interface LedgerRequest {
  marketId: number;
  stallId?: number;
  from: string;
  to: string;
  format: LedgerFormat;
}

/** Where a download stands: rows are counted as CSV lines arrive; an XLSX is zipped, so only its bytes are. */
export type LedgerDownload =
  | { state: 'idle' }
  | { state: 'running'; format: LedgerFormat; total: number | null; rows: number; bytes: number }
  | { state: 'done'; total: number | null; bytes: number }
  | { state: 'failed'; code: string; message: string };

const ledgerUrl = (r: LedgerRequest) =>
  `/api/v1/purchase-ledger?${new URLSearchParams({
    marketId: String(r.marketId),
    ...(r.stallId ? { stallId: String(r.stallId) } : {}),
    from: r.from,
    to: r.to,
    format: r.format,
  })}`;

function lineEnds(chunk: Uint8Array): number {
  let count = 0;
  for (const byte of chunk) if (byte === 0x0a) count++;
  return count;
}

/** Hands the received file to the browser as a download under the server's file name. */
function save(parts: BlobPart[], type: string, disposition: string | null, fallback: string) {
  const name = /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads the 台账 as the server streams it: X-Ledger-Rows says how many rows are coming, and progress is
 * counted from the body as it arrives (CSV lines; XLSX bytes), so a 100,000-row export shows it is moving.
 */
export function useLedgerDownload() {
  const [download, setDownload] = useState<LedgerDownload>({ state: 'idle' });

  async function start(request: LedgerRequest): Promise<void> {
    setDownload({ state: 'running', format: request.format, total: null, rows: 0, bytes: 0 });
    let response: Response;
    try {
      response = await fetch(ledgerUrl(request), { credentials: 'same-origin' });
    } catch {
      setDownload({ state: 'failed', code: 'OFFLINE', message: '' });
      return;
    }
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      setDownload({
        state: 'failed',
        code: body?.error?.code ?? `HTTP_${response.status}`,
        message: body?.error?.message ?? '',
      });
      return;
    }
    const header = response.headers.get('x-ledger-rows');
    const total = header === null ? null : Number(header);
    const parts: BlobPart[] = [];
    let rows = -1; // the header line is not a row
    let bytes = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        if (request.format === 'csv') rows += lineEnds(value);
        setDownload({ state: 'running', format: request.format, total, rows: Math.max(rows, 0), bytes });
      }
    } catch {
      setDownload({ state: 'failed', code: 'INTERRUPTED', message: '' });
      return;
    }
    save(
      parts,
      response.headers.get('content-type') ?? 'application/octet-stream',
      response.headers.get('content-disposition'),
      `purchase-ledger.${request.format}`,
    );
    setDownload({ state: 'done', total, bytes });
  }

  return { download, start };
}
