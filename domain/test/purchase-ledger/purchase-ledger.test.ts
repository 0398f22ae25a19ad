import { describe, expect, it } from 'vitest';
import {
  checkLedgerRange,
  LotSupplierUpdate,
  maskSubjectId,
} from '../../src/purchase-ledger/purchase-ledger.ts';

describe('the 台账 range', () => {
  it('takes one day, both ends included', () => {
    expect(checkLedgerRange('2026-03-15', '2026-03-15')).toEqual({ ok: true, days: 1 });
  });

  it('takes a leap year whole (366 days)', () => {
    expect(checkLedgerRange('2028-01-01', '2028-12-31')).toEqual({ ok: true, days: 366 });
  });

  it('refuses more than a year: LEDGER_RANGE_TOO_LONG', () => {
    expect(checkLedgerRange('2025-03-14', '2026-03-15')).toMatchObject({
      ok: false,
      code: 'LEDGER_RANGE_TOO_LONG',
    });
  });

  it('refuses an end before the start: LEDGER_RANGE_INVALID', () => {
    expect(checkLedgerRange('2026-03-16', '2026-03-15')).toMatchObject({
      ok: false,
      code: 'LEDGER_RANGE_INVALID',
    });
  });
});

describe('a masked credit code or ID number', () => {
  it('keeps the first and last four of an 18-character number', () => {
    expect(maskSubjectId('430102199001011234')).toBe('4301**********1234');
  });

  it('keeps two at each end of a short number, and hides a very short one whole', () => {
    expect(maskSubjectId('A1234567')).toBe('A1****67');
    expect(maskSubjectId('1234')).toBe('****');
  });
});

describe("completing a lot's supplier", () => {
  it('needs at least one field', () => {
    expect(LotSupplierUpdate.safeParse({}).success).toBe(false);
    expect(LotSupplierUpdate.safeParse({ supplierContact: '0731-1' }).success).toBe(true);
  });

  it('refuses control characters', () => {
    expect(LotSupplierUpdate.safeParse({ supplierAddress: '长沙\u0000' }).success).toBe(false);
  });
});
