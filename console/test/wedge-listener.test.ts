import { afterEach, describe, expect, it } from 'vitest';
import { isScan, listenForWedgeScans, type WedgeScan } from '../src/scan/wedge-listener.ts';

const burst = (chars: string, everyMs: number) => ({
  chars,
  times: [...chars].map((_, i) => 1000 + i * everyMs),
});

describe('a wedge scan is told from typing by its timing', () => {
  it('takes a fast burst of at least six characters as a scan', () => {
    expect(isScan(burst('HTTPS://LZ.DEMO.CN/V/LZ1ABC', 8))).toBe(true);
  });

  it('takes a person typing (150 ms a key) as typing, however long', () => {
    expect(isScan(burst('HTTPS://LZ.DEMO.CN/V/LZ1ABC', 150))).toBe(false);
  });

  it('takes a short fast burst (a number typed in 数量) as typing', () => {
    expect(isScan(burst('100', 5))).toBe(false);
  });
});

describe('the window-wide listener', () => {
  let stop = () => {};
  afterEach(() => {
    stop();
    document.body.innerHTML = '';
  });

  it('hands over a scan typed into another field, gives that field its value back and keeps Enter from submitting', () => {
    document.body.innerHTML = '<form><input name="quantity" value="12"></form>';
    const quantity = document.querySelector('input')!;
    quantity.focus();
    const scans: WedgeScan[] = [];
    stop = listenForWedgeScans(window, (scan) => scans.push(scan));
    for (const key of 'LZ1ABCDEF') {
      quantity.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      quantity.value += key; // what the browser does with a key nobody prevented
    }
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    quantity.dispatchEvent(enter);
    expect(scans.map((s) => s.text)).toEqual(['LZ1ABCDEF']);
    expect(quantity.value).toBe('12');
    expect(enter.defaultPrevented).toBe(true);
  });
});
