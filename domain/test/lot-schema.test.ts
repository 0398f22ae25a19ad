import { describe, expect, it } from 'vitest';
import { LotDeclaration, PresentedDocument } from '../src/lot/lot.ts';
import { ScanSubmission } from '../src/lot/scan.ts';
import { VerdictResult } from '../src/verdict/verdict-result.ts';

const paper = {
  productName: '小白菜',
  quantity: 200,
  unit: '斤',
  origin: '湖南省长沙县',
  issuerName: '长沙县某某蔬菜专业合作社',
  contact: '0731-12345678',
  issuedOn: '2026-02-28',
  basis: '自我承诺',
};

const submission = {
  scanId: '0b7e1f5e-3c1a-4d2b-9f8e-1a2b3c4d5e6f',
  lotId: 'lot-20260301-0042',
  gateId: 7,
  provenance: {
    source: 'wedge',
    rawText: 'LZ1:ABC',
    symbology: 'qr_code',
    keystrokeTimings: [8, 9, 7],
    deviceTime: '2026-03-01T04:12:00+08:00',
    decoder: 'scanner-firmware',
  },
  provisional: { outcome: 'review', reasons: [{ code: 'SNAPSHOT_STALE' }], snapshotVersion: 12 },
};

describe('lot and document messages', () => {
  it('reads a lot declaration, unit words included', () => {
    const lot = LotDeclaration.parse({
      productName: '生猪',
      category: 'livestock_poultry',
      quantity: 12,
      unit: '头',
    });
    expect(lot.unit).toBe('head');
  });

  it('rejects unknown fields', () => {
    const parsed = LotDeclaration.safeParse({
      productName: '生猪',
      category: 'livestock_poultry',
      quantity: 12,
      unit: 'head',
      price: 1,
    });
    expect(parsed.success).toBe(false);
  });

  it('rejects an over-long product name and an impossible quantity', () => {
    expect(
      LotDeclaration.safeParse({ productName: 'x'.repeat(41), category: 'egg', quantity: 1, unit: 'kg' })
        .success,
    ).toBe(false);
    expect(
      LotDeclaration.safeParse({ productName: '鸡蛋', category: 'egg', quantity: -1, unit: 'kg' }).success,
    ).toBe(false);
  });

  it('maps legacy 承诺依据 wording on paper certificates', () => {
    const legacy: Record<string, string> = {
      自我承诺: 'quality_control',
      内部质量控制: 'quality_control',
      自我检测: 'self_tested',
      委托检测: 'commissioned_test',
      质量安全控制符合要求: 'quality_control',
    };
    for (const [basis, expected] of Object.entries(legacy)) {
      const document = PresentedDocument.parse({ type: 'paper', fields: { ...paper, basis } });
      expect(document.type === 'paper' && document.fields.basis).toBe(expected);
    }
  });

  it('refuses an unknown basis and an unknown document type', () => {
    expect(
      PresentedDocument.safeParse({ type: 'paper', fields: { ...paper, basis: '口头保证' } }).success,
    ).toBe(false);
    expect(PresentedDocument.safeParse({ type: 'photo', text: 'x' }).success).toBe(false);
  });

  it('reads a second document', () => {
    const document = PresentedDocument.parse({
      type: 'second_document',
      kind: 'animal_quarantine',
      number: 'A4301-001',
    });
    expect(document).toEqual({ type: 'second_document', kind: 'animal_quarantine', number: 'A4301-001' });
  });

  it('reads a scan submission with its provenance', () => {
    expect(ScanSubmission.parse(submission)).toEqual(submission);
  });

  it('reads the gate id older agents send as a string of digits as the same integer, and nothing else', () => {
    expect(ScanSubmission.parse({ ...submission, gateId: '7' }).gateId).toBe(7);
    for (const gateId of ['gate-north-1', '07', '', 0, -7, 7.5]) {
      expect(ScanSubmission.safeParse({ ...submission, gateId }).success, String(gateId)).toBe(false);
    }
  });

  it('refuses a submission with a bad scan id or extra provenance fields', () => {
    expect(ScanSubmission.safeParse({ ...submission, scanId: 'not-a-uuid' }).success).toBe(false);
    const extra = { ...submission, provenance: { ...submission.provenance, operator: 'x' } };
    expect(ScanSubmission.safeParse(extra).success).toBe(false);
  });

  it('bounds keystroke timings', () => {
    const timings = {
      ...submission,
      provenance: { ...submission.provenance, keystrokeTimings: Array(4097).fill(5) },
    };
    expect(ScanSubmission.safeParse(timings).success).toBe(false);
  });

  it('describes a verdict result', () => {
    const result = {
      outcome: 'accept',
      reasons: [],
      primary: null,
      documents: [{ index: 0, reading: 'liangzheng', certificateId: '0123456789abcdef', outcome: 'accept' }],
      claims: [{ certificateId: '0123456789abcdef', quantity: 40, unit: 'kg' }],
      rulesVersion: '2026.1',
    };
    expect(VerdictResult.parse(result)).toEqual(result);
  });
});
