import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { closedPort, type PrinterSink, startPrinterSink } from './printer-sink.ts';

let t: TestApp;
let sink: PrinterSink | undefined;
afterEach(async () => {
  await t?.close();
  await sink?.close();
  sink = undefined;
});

/** 00:30 on 15 March in Beijing: still the 14th in UTC. */
const HALF_PAST_MIDNIGHT_BEIJING = new Date('2026-03-14T16:30:00.000Z');

const spinach = {
  productCode: 1001,
  quantity: 500,
  unit: 'kg',
  originRegion: '430182',
  originText: '',
  basis: 'self_tested',
} as const;

async function issue(headers: SessionHeaders): Promise<{ id: string; code: string }> {
  const res = await t.inject(
    { method: 'POST', url: '/api/v1/certificates', payload: { issuerId: t.demo!.issuers.coop, ...spinach } },
    headers,
  );
  expect(res.statusCode).toBe(201);
  return res.json().certificate;
}

const producer = () => t.login(t.demo!.users.producer, t.demo!.password);
const labelUrl = (id: string, query: string) => `/api/v1/certificates/${id}/label?${query}`;

describe('label route', () => {
  it('serves every format with its content type, on a machine with no system CJK font', async () => {
    t = await buildTestApp({ demo: true });
    const headers = await producer();
    const { id } = await issue(headers);
    const expected = {
      pdf: ['application/pdf', '%PDF-'],
      html: ['text/html; charset=utf-8', '<!doctype html>'],
      tspl: ['application/octet-stream', 'SIZE 60 mm,40 mm'],
      escpos: ['application/octet-stream', '\x1b@'],
    } as const;
    for (const [format, [type, start]] of Object.entries(expected)) {
      const res = await t.inject({ method: 'GET', url: labelUrl(id, `format=${format}`) }, headers);
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.rawPayload.subarray(0, start.length).toString('latin1')).toBe(start);
      expect(res.headers['content-disposition']).toContain(`certificate-${id}-60x40.`);
    }
    const bad = await t.inject({ method: 'GET', url: labelUrl(id, 'format=zpl') }, headers);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('prints as many PDF labels as copies asked, one page each', async () => {
    t = await buildTestApp({ demo: true });
    const headers = await producer();
    const { id } = await issue(headers);
    const pages = async (query: string) => {
      const res = await t.inject({ method: 'GET', url: labelUrl(id, `format=pdf&${query}`) }, headers);
      expect(res.statusCode).toBe(200);
      return res.rawPayload.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length;
    };
    expect(await pages('size=60x40')).toBe(1);
    expect(await pages('size=60x80&copies=3')).toBe(3);
    const tooMany = await t.inject({ method: 'GET', url: labelUrl(id, 'format=pdf&copies=51') }, headers);
    expect(tooMany.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('dates the label and the public page on the market’s calendar, and says where and what was promised', async () => {
    t = await buildTestApp({ demo: true, clock: fixedClock(HALF_PAST_MIDNIGHT_BEIJING) });
    const headers = await producer();
    const { id, code } = await issue(headers);
    const html = (await t.inject({ method: 'GET', url: labelUrl(id, 'format=html') }, headers)).body;
    expect(html).toContain('<dt>开具日期</dt><dd>2026年3月15日</dd>');
    expect(html).toContain('<dt>产地</dt><dd>湖南省长沙市宁乡市</dd>');
    expect(html).toContain('<dt>数量</dt><dd>500 千克</dd>');

    const page = (await t.inject({ method: 'GET', url: code.slice(code.indexOf('/V/')) })).body;
    expect(page).toContain('<th>开具日期</th><td>2026年3月15日</td>');
    expect(page).toContain('<th>产地</th><td>湖南省长沙市宁乡市</td>');
    expect(page).toContain('未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药残留不超标');
  });

  it('follows LIANGZHENG_TIME_ZONE: a server on UTC dates the same instant the 14th', async () => {
    t = await buildTestApp({
      demo: true,
      clock: fixedClock(HALF_PAST_MIDNIGHT_BEIJING),
      config: { timeZone: 'UTC' },
    });
    const headers = await producer();
    const { id } = await issue(headers);
    const tspl = (await t.inject({ method: 'GET', url: labelUrl(id, 'format=tspl') }, headers)).rawPayload;
    expect(new TextDecoder('gbk').decode(tspl)).toContain('开具日期：2026年3月14日');
  });

  it('prints a repack on 样式二 in the repacking vendor’s name, listing its sources', async () => {
    t = await buildTestApp({ demo: true });
    const repack = await t.prisma.certificate.findFirstOrThrow({
      where: { kind: 'repack' },
      include: { parents: true },
    });
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    const html = (
      await t.inject({ method: 'GET', url: labelUrl(repack.id, 'format=html&size=60x80') }, vendor)
    ).body;
    expect(html).toContain('样式二');
    expect(html).toContain(`<dt>承诺主体</dt><dd>${repack.issuerName}</dd>`);
    expect(html).toContain('已收取并保存所收购农产品的承诺达标合格证');
    for (const parent of repack.parents) expect(html).toContain(parent.parentId);
  });
});

describe('printing to a network label printer', () => {
  it('sends the TSPL and ESC/POS bytes to the printer’s raw port, copies included', async () => {
    sink = await startPrinterSink();
    t = await buildTestApp({ demo: true, config: { printerPorts: [sink.port] } });
    const headers = await producer();
    const { id } = await issue(headers);
    for (const format of ['tspl', 'escpos'] as const) {
      const res = await t.inject(
        {
          method: 'POST',
          url: `/api/v1/certificates/${id}/print`,
          payload: { host: '127.0.0.1', port: sink.port, format, size: '60x80', copies: 2 },
        },
        headers,
      );
      expect(res.statusCode, res.body).toBe(200);
      const label = await t.inject(
        { method: 'GET', url: labelUrl(id, `format=${format}&size=60x80&copies=2`) },
        headers,
      );
      expect(res.json()).toEqual({ format, copies: 2, bytes: label.rawPayload.length });
    }
    const jobs = await sink.waitForJobs(2);
    expect(new TextDecoder('gbk').decode(jobs[0]!)).toContain('PRINT 1,2\r\n');
    expect(jobs[0]!.subarray(0, 16).toString()).toBe('SIZE 60 mm,80 mm');
    expect(jobs[1]!.subarray(0, 2).toString('latin1')).toBe('\x1b@');
  });

  it('refuses a port that is not a printer port, without connecting', async () => {
    sink = await startPrinterSink();
    t = await buildTestApp({ demo: true });
    const headers = await producer();
    const { id } = await issue(headers);
    const res = await t.inject(
      {
        method: 'POST',
        url: `/api/v1/certificates/${id}/print`,
        payload: { host: '127.0.0.1', port: sink.port },
      },
      headers,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PRINTER_PORT_NOT_ALLOWED');
    expect(sink.jobs()).toEqual([]);
  });

  it('answers 502 PRINTER_UNREACHABLE when no printer listens', async () => {
    const port = await closedPort();
    t = await buildTestApp({ demo: true, config: { printerPorts: [port] } });
    const headers = await producer();
    const { id } = await issue(headers);
    const res = await t.inject(
      { method: 'POST', url: `/api/v1/certificates/${id}/print`, payload: { host: '127.0.0.1', port } },
      headers,
    );
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('PRINTER_UNREACHABLE');
  });
});

describe('label configuration', () => {
  const base = { DATA_DIR: '/tmp/lz-label-config' };

  it('defaults the time zone to Asia/Shanghai and the printer ports to 9100–9102', () => {
    const loaded = loadConfig(base);
    expect(loaded.ok && loaded.config.timeZone).toBe('Asia/Shanghai');
    expect(loaded.ok && loaded.config.printerPorts).toEqual([9100, 9101, 9102]);
    expect(loaded.ok && loaded.config.cjkFont).toBeUndefined();
  });

  it('refuses at start an unknown time zone, a missing font file and a collection without a font name', () => {
    const collection = path.join(tmpdir(), 'lz-label-test.ttc');
    writeFileSync(collection, '');
    for (const env of [
      { LIANGZHENG_TIME_ZONE: 'Asia/Changsha' },
      { LIANGZHENG_CJK_FONT: '/nonexistent/font.ttf' },
      { LIANGZHENG_CJK_FONT: collection },
      { LIANGZHENG_PRINTER_PORTS: '9100,lp' },
    ]) {
      const loaded = loadConfig({ ...base, ...env });
      expect(loaded.ok, JSON.stringify(env)).toBe(false);
      expect(!loaded.ok && loaded.code).toBe('CONFIG_INVALID');
    }
  });
});
