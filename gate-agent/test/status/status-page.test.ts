import { request } from 'node:http';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { afterEach, describe, expect, it } from 'vitest';
import { Gate } from '../../src/gate.ts';
import { Journal } from '../../src/journal/journal.ts';
import type { GateStatus } from '../../src/status/gate-status.ts';
import { lastOf } from '../../src/status/gate-status.ts';
import { manualDesk } from '../../src/status/manual-entry.ts';
import { StatusPage } from '../../src/status/status-page.ts';
import { entryFor } from '../fixtures.ts';
import { codeText, now, trustState } from '../scenario.ts';

const idle: GateStatus = {
  gateId: 1,
  last: null,
  lot: null,
  conflict: null,
  snapshot: null,
  queueLength: 0,
  online: false,
};

/** What the manual endpoints answer, loosely: a test reads whichever half the status code implies. */
interface Body {
  lotId: string;
  scanId: string;
  verdict: { outcome: string; reasons: { code: string }[] };
  error: { code: string; zh: string; en: string; fields?: { path: string; message: string }[] };
}

interface Answer {
  status: number;
  text: string;
  json: () => Body;
}

/** Real HTTP through node:http, which (unlike fetch) lets a test choose the Host header. */
function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) as Body }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const declaration = { productName: '大白菜', category: 'vegetable', quantity: 40, unit: 'kg' };
const paperFields = {
  productName: '大白菜',
  quantity: 40,
  unit: 'kg',
  origin: '湖南省长沙市望城区',
  issuerName: '望城蔬菜合作社',
  contact: '0731-88888888',
  issuedOn: '2026-05-16',
  basis: '自我承诺',
};

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** A real gate (in-memory journal, the shared scenario's trust) behind a real status page on a free port. */
async function startPage() {
  const journal = new Journal(':memory:');
  const tones: string[] = [];
  const trust = trustState(new Date(now.getTime() - 3_600_000));
  let page: StatusPage | null = null;
  const gate = new Gate({
    config: { gateId: 1, maxSnapshotAgeHours: 24 },
    journal,
    clock: { now: () => now, local: () => now },
    sounder: { play: (tone) => tones.push(tone) },
    ed25519: nodeEd25519,
    trust: () => trust,
    show: (change) => page?.update(change),
    journaled: () => {},
  });
  page = new StatusPage(
    idle,
    manualDesk(gate, () => now.getTime()),
  );
  const port = await page.listen(0);
  const html = (await send(port, { path: '/', headers: { host: `127.0.0.1:${port}` } })).text;
  const token = /<meta name="gate-token" content="([A-Za-z0-9_-]+)">/.exec(html)?.[1] ?? '';
  const headers = { host: `localhost:${port}`, 'content-type': 'application/json', 'x-gate-token': token };
  const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
    send(port, { method: 'POST', path, headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  cleanup = async () => {
    await page?.close();
    journal.close();
  };
  return { journal, page, port, html, token, post, tones, status: () => page?.status as GateStatus };
}

describe('status page', () => {
  it('serves the page and streams every change with the reason in Chinese and English', async () => {
    const page = new StatusPage(idle);
    const port = await page.listen(0);
    try {
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(html).toContain('lang="zh-CN"');
      // nothing pops up or grabs focus by itself: the manual panel stays closed until staff open it
      expect(html).not.toMatch(/alert\(|confirm\(|prompt\(|autofocus/);
      expect(html).toMatch(/<section id="manual" hidden/);
      // a page with no gate behind it offers no manual entry
      expect(html).toMatch(/id="open-manual"[^>]* hidden>/);

      const events = await fetch(`http://127.0.0.1:${port}/events`);
      const reader = events.body!.getReader();
      const decoder = new TextDecoder();
      const first = decoder.decode((await reader.read()).value);
      expect(JSON.parse(first.replace(/^data: /, ''))).toMatchObject({ queueLength: 0 });

      const journal = new Journal(':memory:');
      page.update({ last: lastOf(journal.record(entryFor('X', 'review'))), queueLength: 1 });
      const second = JSON.parse(decoder.decode((await reader.read()).value).replace(/^data: /, ''));
      expect(second.last.outcome).toBe('review');
      expect(second.last.reasons[0]).toMatchObject({
        code: 'UNVERIFIABLE',
        zh: expect.stringMatching(/人工复核/),
      });
      expect(second.queueLength).toBe(1);
      await reader.cancel();
    } finally {
      await page.close();
    }
  });

  it('gives each agent process its own page token', async () => {
    const a = await startPage();
    const first = a.token;
    await cleanup?.();
    const b = await startPage();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.token).not.toBe(first);
  });
});

describe('manual entry on the status page', () => {
  it('registers an arrival, then judges a typed code as a manual read of that lot', async () => {
    const gate = await startPage();
    const lot = await gate.post('/manual/lots', { plate: '湘A·12345', supplier: '老王', declaration });
    expect(gate.html).toMatch(/id="open-manual" aria-controls="manual">/);
    expect(lot.status).toBe(201);
    const { lotId } = lot.json();
    expect(lot.json().verdict).toBeNull();
    expect(gate.journal.unsentLots(10)).toEqual([
      expect.objectContaining({
        lotId,
        declaration,
        arrival: { plate: '湘A·12345', supplier: '老王', noCertificate: false, documents: [] },
      }),
    ]);
    expect(gate.status().lot).toEqual({ id: lotId, label: '湘A·12345 · 老王 · 大白菜 40 kg' });

    const code = await gate.post('/manual/codes', { text: `  ${codeText()}\n` });
    expect(code.status).toBe(201);
    expect(code.json()).toMatchObject({ lotId, verdict: { outcome: 'accept' } });
    const entry = gate.journal.get(code.json().scanId);
    expect(entry).toMatchObject({
      lotId,
      syncState: 'pending',
      read: { source: 'manual', text: codeText() },
    });
    // the big panel shows it like any scanned read
    expect(gate.status().last).toMatchObject({ scanId: entry?.scanId, outcome: 'accept' });
    expect(gate.tones).toEqual(['accept']);
  });

  it('judges an arrival with no certificate at once: reject, MISSING, shown and sounded', async () => {
    const gate = await startPage();
    const answer = await gate.post('/manual/lots', { declaration, certificate: { kind: 'none' } });
    expect(answer.status).toBe(201);
    expect(answer.json().verdict).toMatchObject({
      outcome: 'reject',
      reasons: [expect.objectContaining({ code: 'MISSING', zh: expect.any(String), en: expect.any(String) })],
    });
    expect(gate.journal.unsentLots(10)[0]?.arrival.noCertificate).toBe(true);
    expect(gate.status().last).toMatchObject({ scanId: null, lotId: answer.json().lotId, outcome: 'reject' });
    expect(gate.status().lot).toBeNull();
    expect(gate.tones).toEqual(['reject']);
  });

  it('records a paper certificate with its photo for review (PAPER_UNVERIFIED)', async () => {
    const gate = await startPage();
    const photo = Buffer.from('not really a jpeg, but base64').toString('base64');
    const answer = await gate.post('/manual/lots', {
      declaration,
      certificate: { kind: 'paper', fields: paperFields, photo },
    });
    expect(answer.status).toBe(201);
    expect(answer.json().verdict.outcome).toBe('review');
    expect(answer.json().verdict.reasons.map((r) => r.code)).toContain('PAPER_UNVERIFIED');
    expect(gate.journal.unsentLots(10)[0]?.arrival.documents).toEqual([
      // legacy wording is stored as the 2026 basis
      { type: 'paper', fields: { ...paperFields, basis: 'quality_control' }, photo },
    ]);
  });

  it('refuses bad input with a reason code, and journals nothing', async () => {
    const gate = await startPage();
    const cases: [unknown, string][] = [
      [{ declaration: { ...declaration, quantity: -1 } }, 'VALIDATION_FAILED'],
      [
        { declaration, certificate: { kind: 'paper', fields: { ...paperFields, issuedOn: 'yesterday' } } },
        'VALIDATION_FAILED',
      ],
      [
        { declaration, certificate: { kind: 'paper', fields: paperFields, photo: 'not base64!' } },
        'VALIDATION_FAILED',
      ],
      [{ declaration, extra: 1 }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const answer = await gate.post('/manual/lots', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json().error).toMatchObject({ code, zh: expect.any(String), en: expect.any(String) });
    }
    const fields = (
      await gate.post('/manual/lots', { declaration: { ...declaration, unit: 'bushel' } })
    ).json();
    expect(fields.error.fields).toEqual([{ path: 'declaration.unit', message: 'unknown unit: bushel' }]);
    expect((await gate.post('/manual/codes', { text: '   ' })).json().error.code).toBe('VALIDATION_FAILED');

    const raw = (body: string, type = 'application/json') =>
      send(gate.port, {
        method: 'POST',
        path: '/manual/codes',
        headers: { host: `127.0.0.1:${gate.port}`, 'content-type': type, 'x-gate-token': gate.token },
        body,
      });
    expect(await raw('{"text":')).toMatchObject({ status: 400, text: expect.stringContaining('BAD_JSON') });
    expect(await raw('text=abc', 'application/x-www-form-urlencoded')).toMatchObject({
      status: 415,
      text: expect.stringContaining('NOT_JSON'),
    });
    expect(await raw(JSON.stringify({ text: 'x'.repeat(300_000) }))).toMatchObject({
      status: 413,
      text: expect.stringContaining('BODY_TOO_LARGE'),
    });
    expect((await gate.post('/manual/nothing', {})).status).toBe(404);
    expect(gate.journal.lotCount()).toBe(0);
    expect(gate.journal.counts().total).toBe(0);
    expect(gate.tones).toEqual([]);
  });

  it('refuses a request naming another host (DNS rebinding), reads included', async () => {
    const gate = await startPage();
    const evil = { host: `evil.example:${gate.port}` };
    expect(await send(gate.port, { path: '/', headers: evil })).toMatchObject({
      status: 403,
      text: expect.stringContaining('HOST_NOT_ALLOWED'),
    });
    expect((await send(gate.port, { path: '/status', headers: evil })).status).toBe(403);
    const posted = await gate.post('/manual/codes', { text: codeText() }, evil);
    expect(posted.status).toBe(403);
    expect(posted.json().error.code).toBe('HOST_NOT_ALLOWED');
    expect(gate.journal.counts().total).toBe(0);
    // the names of this machine are all fine
    for (const host of [`[::1]:${gate.port}`, `LOCALHOST:${gate.port}`, '127.0.0.1']) {
      expect((await send(gate.port, { path: '/status', headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses an entry without this process’s page token', async () => {
    const gate = await startPage();
    const missing = await send(gate.port, {
      method: 'POST',
      path: '/manual/codes',
      headers: { host: `127.0.0.1:${gate.port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: codeText() }),
    });
    expect(missing.status).toBe(403);
    expect(missing.json().error).toMatchObject({ code: 'TOKEN_MISSING', zh: expect.stringMatching(/令牌/) });
    const wrong = await gate.post(
      '/manual/codes',
      { text: codeText() },
      { 'x-gate-token': `${gate.token}x` },
    );
    expect(wrong.status).toBe(403);
    expect(wrong.json().error.code).toBe('TOKEN_INVALID');
    expect(gate.journal.counts().total).toBe(0);
  });

  it('answers MANUAL_UNAVAILABLE on an agent that serves the page without a gate behind it', async () => {
    const page = new StatusPage(idle);
    const port = await page.listen(0);
    cleanup = () => page.close();
    const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const token = /<meta name="gate-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const answer = await send(port, {
      method: 'POST',
      path: '/manual/codes',
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-gate-token': token },
      body: '{"text":"abc"}',
    });
    expect(answer.status).toBe(503);
    expect(answer.json().error.code).toBe('MANUAL_UNAVAILABLE');
  });
});
