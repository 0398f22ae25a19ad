import { reasonMessages } from '@liangzheng/domain/reason/reason-messages';
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { replayTransport } from '../src/api/transport.ts';
import { verdictOfVerification } from '../src/verdict/verdict.ts';
import { VerdictPanel } from '../src/verdict/verdict-panel.tsx';
import { renderConsole } from './render.tsx';

afterEach(cleanup);

const at = '2026-03-01T04:00:00.000Z';
const transport = replayTransport([]);

describe('VerdictPanel', () => {
  it.each([
    ['accept', null, '通过'],
    ['review', 'PAPER_UNVERIFIED', '人工复核'],
    ['reject', 'REVOKED', '拒绝'],
  ] as const)('shows %s in its colour class with the zh-CN reason first', (outcome, reason, word) => {
    renderConsole(<VerdictPanel verdict={{ outcome, reason, subject: '大白菜', at }} />, { transport });
    const panel = screen.getByRole('status');
    expect(panel.dataset.outcome).toBe(outcome);
    expect(panel.className).toContain(`verdict-${outcome}`);
    expect(panel.textContent).toContain(word);
    if (reason) {
      const zh = screen.getByText(reasonMessages['zh-CN'][reason]);
      const en = screen.getByText(reasonMessages.en[reason]);
      expect(zh.className).toBe('verdict-reason');
      expect(en.className).toBe('verdict-reason-en');
      // Chinese is read first: it comes before the English in the panel.
      expect(zh.compareDocumentPosition(en) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    } else {
      expect(panel.querySelector('.verdict-reason')).toBeNull();
    }
  });

  it('shows a pending lot in its own colour with how far it is covered, not a reason', () => {
    const coverage = { covered: 200, declared: 300, unit: 'kg' } as const;
    renderConsole(
      <VerdictPanel
        verdict={{ outcome: 'pending', reason: 'DUPLICATE_READ', subject: '湘A', at, coverage }}
      />,
      { transport },
    );
    const panel = screen.getByRole('status');
    expect(panel.className).toContain('verdict-pending');
    expect(panel.textContent).toContain('继续扫码');
    expect(screen.getByText('已核 200/300 千克，继续扫码').className).toBe('verdict-reason');
    expect(screen.getByText('200 of 300 kg covered so far; scan the next certificate')).toBeTruthy();
    expect(screen.queryByText(reasonMessages['zh-CN'].DUPLICATE_READ)).toBeNull();
  });

  it('shows the reason in Chinese even when the console is in English', () => {
    renderConsole(<VerdictPanel verdict={{ outcome: 'reject', reason: 'MISSING', subject: '', at }} />, {
      transport,
      language: 'en',
    });
    expect(screen.getByText('Rejected')).toBeTruthy();
    expect(screen.getByText(reasonMessages['zh-CN'].MISSING)).toBeTruthy();
  });

  it('waits in grey before any verdict', () => {
    renderConsole(<VerdictPanel verdict={null} />, { transport });
    expect(screen.getByRole('status').dataset.outcome).toBe('waiting');
    expect(screen.getByText('等待扫码')).toBeTruthy();
  });
});

describe('verdictOfVerification', () => {
  const base = { message: '', certificate: null, issuer: null, chain: [] as [] };
  it('maps a valid certificate to accept and a voided one to reject', () => {
    const certificate = {
      id: '0123456789abcdef',
      kind: 'producer',
      productCode: 1001,
      productName: '大白菜',
      category: 'vegetable',
      quantity: 1200,
      unit: 'kg',
      originRegion: '430124',
      originText: '宁乡市',
      contact: '0731-8786 2210',
      basis: 'self_tested',
      issuedAt: at,
      state: 'valid' as const,
      voidedAt: null,
    };
    const valid = verdictOfVerification({ ...base, valid: true, reason: null, certificate }, at);
    expect(valid).toEqual({ outcome: 'accept', reason: null, subject: '大白菜', at });
    expect(verdictOfVerification({ ...base, valid: false, reason: 'REVOKED' }, at).outcome).toBe('reject');
  });
  it('sends codes the server cannot vouch for to review, as the domain outcome table says', () => {
    expect(verdictOfVerification({ ...base, valid: false, reason: 'UNVERIFIABLE' }, at).outcome).toBe(
      'review',
    );
    expect(verdictOfVerification({ ...base, valid: false, reason: 'MALFORMED' }, at).outcome).toBe('review');
  });
});
