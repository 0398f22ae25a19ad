import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../src/read/read.ts';
import type { SourceEvent } from '../../src/read/source-event.ts';
import { commonHidPosLayout } from '../../src/scanner/hid/hid-pos.ts';
import { hidScannerSource } from '../../src/scanner/hid/hid-scanner-source.ts';
import { ReplayHidProvider } from '../../src/scanner/hid/replay-hid-provider.ts';
import { publishedDescriptorHex, publishedReports } from './published-fixtures.ts';

const fixture = (path: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/hid', path), 'utf8')) as {
    reports: string[];
    expected: string[];
  };

const keyboardScanner = { path: '/dev/hidraw1', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 1 };
const posScanner = { path: '/dev/hidraw2', vendorId: 0x05e0, productId: 0x1200, usagePage: 0x8c };
const realKeyboard = { path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc31c, usagePage: 1 };
const honeywellDescriptor = { descriptorHex: publishedDescriptorHex('honeywell-hid-pos') };

function setup() {
  const provider = new ReplayHidProvider();
  let now = 1_780_000_000_000;
  const source = hidScannerSource(provider, {
    keyboardScanners: [{ vendorId: 0x0c2e, productId: 0x0b61 }],
    pollMs: 60_000,
    clock: () => now,
  });
  const events: SourceEvent[] = [];
  const advance = (ms: number) => {
    now += ms;
  };
  return { provider, source, events, advance, listen: () => source.start((e) => events.push(e)) };
}

const statuses = (events: SourceEvent[]) =>
  events.flatMap((e) =>
    e.kind === 'status' ? [`${e.status}:${e.device}${e.error ? `:${e.error.code}` : ''}`] : [],
  );
const texts = (events: SourceEvent[], kind: 'read' | 'repeat') =>
  events.flatMap((e) => (e.kind === kind ? [e.read.text] : []));

describe('HID scanner device layer', () => {
  it('opens configured keyboard scanners and usage-page 0x8C scanners together, never a plain keyboard', async () => {
    const { provider, source, events, listen } = setup();
    provider.plug(keyboardScanner);
    provider.plug(posScanner, honeywellDescriptor);
    provider.plug(realKeyboard);
    listen();
    provider.replay(keyboardScanner.path, fixture('synthetic-boot-keyboard/release-each.json').reports);
    provider.replay(posScanner.path, fixture('synthetic-hid-pos-common/qr-codes.json').reports);
    await source.stop();
    expect(statuses(events).filter((s) => s.startsWith('connected'))).toEqual([
      'connected:hid:0c2e:0b61:/dev/hidraw1',
      'connected:hid:05e0:1200:/dev/hidraw2',
    ]);
    expect(texts(events, 'read')).toEqual([
      ...fixture('synthetic-boot-keyboard/release-each.json').expected,
      ...fixture('synthetic-hid-pos-common/qr-codes.json').expected,
    ]);
  });

  it('records provenance: source hid, device, raw reports, decoder, symbology, and a valid Read', async () => {
    const { provider, source, events, listen } = setup();
    provider.plug(posScanner, honeywellDescriptor);
    listen();
    provider.replay(posScanner.path, fixture('synthetic-hid-pos-common/qr-codes.json').reports.slice(0, 2));
    await source.stop();
    const read = events.find((e) => e.kind === 'read');
    expect(read?.kind === 'read' && readSchema.parse(read.read)).toMatchObject({
      source: 'hid',
      device: 'hid:05e0:1200:/dev/hidraw2',
      symbology: ']Q1',
      receivedAt: '2026-05-28T20:26:40.000Z',
      provenance: {
        decoder: 'hid-pos:descriptor-2-64',
        reports: fixture('synthetic-hid-pos-common/qr-codes.json').reports.slice(0, 2),
      },
    });
  });

  it('marks the same code within 2.5 s as a repeat and accepts it again after the window', async () => {
    const { provider, source, events, advance, listen } = setup();
    provider.plug(keyboardScanner);
    listen();
    const { reports } = fixture('synthetic-boot-keyboard/release-each.json');
    const firstCode = reports.slice(0, reports.indexOf('0000280000000000') + 2);
    provider.replay(keyboardScanner.path, firstCode);
    advance(2000);
    provider.replay(keyboardScanner.path, firstCode);
    advance(2600);
    provider.replay(keyboardScanner.path, firstCode);
    await source.stop();
    expect(events.filter((e) => e.kind !== 'status').map((e) => e.kind)).toEqual(['read', 'repeat', 'read']);
  });

  it('turns unplug, read errors, open failures and enumeration failures into status values, then reopens', async () => {
    const { provider, source, events, listen } = setup();
    provider.plug(keyboardScanner);
    listen();
    provider.breakDevice(keyboardScanner.path, 'could not read from HID device');
    source.poll(); // still listed: reopened
    provider.unplug(keyboardScanner.path);
    source.poll();
    provider.plug(keyboardScanner);
    provider.refuseOpen(keyboardScanner.path, true);
    source.poll();
    source.poll(); // a failing device is reported once, not every second
    provider.refuseOpen(keyboardScanner.path, false);
    provider.listFailure = new Error('ERR_DLOPEN_FAILED libusb-1.0.so.0');
    source.poll();
    provider.listFailure = undefined;
    source.poll();
    provider.replay(keyboardScanner.path, fixture('synthetic-boot-keyboard/release-each.json').reports);
    await source.stop();
    const id = 'hid:0c2e:0b61:/dev/hidraw1';
    expect(statuses(events)).toEqual([
      `connected:${id}`,
      `disconnected:${id}:device_read_failed`,
      `connected:${id}`,
      `disconnected:${id}`,
      `disconnected:${id}:device_open_failed`,
      'disconnected:hid:device_enumeration_failed',
      `connected:${id}`,
      `disconnected:${id}`,
    ]);
    expect(texts(events, 'read')).toHaveLength(4);
  });

  it('ends a keyboard-mode code that has no Enter after the idle gap', async () => {
    const provider = new ReplayHidProvider();
    const source = hidScannerSource(provider, {
      keyboardScanners: [{ vendorId: 0x0c2e, productId: 0x0b61 }],
      pollMs: 60_000,
      idleFlushMs: 20,
    });
    const events: SourceEvent[] = [];
    provider.plug(keyboardScanner);
    source.start((e) => events.push(e));
    const noEnter = ['0200070000000000', '0000000000000000', '0000080000000000', '0000000000000000'];
    provider.replay(keyboardScanner.path, noEnter);
    expect(texts(events, 'read')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await source.stop();
    expect(texts(events, 'read')).toEqual(['De']);
  });

  it('reads a HID POS scanner with the layout from its own descriptor: published Access-IS reports decode', async () => {
    const { provider, source, events, listen } = setup();
    provider.plug(posScanner, honeywellDescriptor);
    listen();
    const access = publishedReports('access-is-lsr118');
    provider.replay(posScanner.path, access.reports);
    await source.stop();
    expect(statuses(events)[0]).toBe('connected:hid:05e0:1200:/dev/hidraw2');
    const read = events.find((e) => e.kind === 'read');
    expect(
      read?.kind === 'read' && [read.read.text, read.read.symbology, read.read.provenance.decoder],
    ).toEqual([access.expected[0], ']Q0', 'hid-pos:descriptor-2-64']);
  });

  it('falls back to the common layout with a warning when the descriptor is missing or unusable', async () => {
    const { provider, source, events, listen } = setup();
    const unreadable = { ...posScanner, path: '/dev/hidraw5' };
    const truncated = { ...posScanner, path: '/dev/hidraw6' };
    provider.plug(unreadable);
    provider.plug(truncated, { descriptorHex: honeywellDescriptor.descriptorHex.slice(0, 32) });
    listen();
    const synthetic = fixture('synthetic-hid-pos-common/qr-codes.json');
    provider.replay(unreadable.path, synthetic.reports);
    await source.stop();
    const connected = events.flatMap((e) => (e.kind === 'status' && e.status === 'connected' ? [e] : []));
    expect(connected.map((e) => [e.device, e.error?.code])).toEqual([
      ['hid:05e0:1200:/dev/hidraw5', 'hid_pos_layout_fallback'],
      ['hid:05e0:1200:/dev/hidraw6', 'hid_pos_layout_fallback'],
    ]);
    expect(connected[0]?.error?.detail).toMatch(/unreadable: no report descriptor was recorded/);
    expect(connected[1]?.error?.detail).toMatch(/unusable: .*descriptor_truncated/);
    expect(texts(events, 'read')).toEqual(synthetic.expected);
  });

  it('uses a configured layout over the descriptor, without a warning', async () => {
    const provider = new ReplayHidProvider();
    const events: SourceEvent[] = [];
    const configured = { ...commonHidPosLayout, name: 'configured' };
    const source = hidScannerSource(provider, {
      keyboardScanners: [],
      posLayouts: [{ vendorId: posScanner.vendorId, productId: posScanner.productId, layout: configured }],
      pollMs: 60_000,
    });
    provider.plug(posScanner);
    source.start((e) => events.push(e));
    provider.replay(posScanner.path, fixture('synthetic-hid-pos-common/qr-codes.json').reports.slice(0, 2));
    await source.stop();
    expect(statuses(events)).toEqual([
      'connected:hid:05e0:1200:/dev/hidraw2',
      'disconnected:hid:05e0:1200:/dev/hidraw2',
    ]);
    const read = events.find((e) => e.kind === 'read');
    expect(read?.kind === 'read' && read.read.provenance.decoder).toBe('hid-pos:configured');
  });
});
