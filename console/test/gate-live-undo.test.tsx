import type { ScanReversal } from '@liangzheng/domain/scan/scan-reversal';
import type { ScanAnswer } from '@liangzheng/domain/scan/scan-schema';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { replayTransport } from '../src/api/transport.ts';
import type { FeedState, GateFeed } from '../src/gate/gate-feed.ts';
import { GateScreen } from '../src/gate/gate-screen.tsx';
import { renderConsole } from './render.tsx';

afterEach(cleanup);

const user = {
  userId: 3,
  username: 'mawangdui_gate',
  role: 'gate_staff' as const,
  scope: { kind: 'market' as const, marketId: 1 },
};
const lot = {
  id: 'lot-20260315-0001',
  gateId: 7,
  plate: '湘A·12345',
  supplier: '宁乡绿源',
  productName: '大白菜',
  quantity: 300,
  unit: 'kg',
  status: 'open',
  outcome: null,
  openedAt: new Date().toISOString(),
  documents: [],
};
const verdict = {
  outcome: 'pending' as const,
  reasons: [],
  primary: null,
  rulesVersion: '2026.1',
  documents: [],
  claims: [],
};
const answer: ScanAnswer = {
  scanId: 'scan-read-at-the-other-screen',
  lotId: lot.id,
  receivedAt: new Date().toISOString(),
  verdict: { ...verdict, coverage: { covered: 200, declared: 300, unit: 'kg' } },
  message: '继续扫码',
  conflict: false,
  provisionalOutcome: null,
  violationId: null,
};
const reversal: ScanReversal = {
  id: 'reversal-1',
  scanId: answer.scanId,
  lotId: lot.id,
  reason: 'wrong_lot',
  note: '',
  reversedBy: 'mawangdui_gate',
  reversedAt: new Date().toISOString(),
  returned: [{ certificateId: '0123456789abcdef', quantity: 100 }],
  lotStatus: 'open',
  verdict: { ...verdict, coverage: { covered: 100, declared: 300, unit: 'kg' } },
};

/** The socket edge as the gate screen subscribes to it: the test pushes what the server would. */
function pushingFeed() {
  const handlers: {
    verdict?: (answer: ScanAnswer) => void;
    reversal?: (reversal: ScanReversal) => void;
  } = {};
  const feed: GateFeed = {
    watch(_gateId, onVerdict, onState: (state: FeedState) => void, onReversal) {
      handlers.verdict = onVerdict;
      handlers.reversal = onReversal;
      onState('live');
      return () => undefined;
    },
  };
  return { feed, handlers };
}

describe('a scan undone on another screen of the gate', () => {
  it('takes its verdict down, stops offering to undo it, says so and lists the lot again', async () => {
    localStorage.clear();
    const lots = { method: 'GET' as const, path: '/api/v1/lots?limit=200' };
    const transport = replayTransport([
      {
        method: 'GET',
        path: '/api/v1/gates',
        response: { status: 200, body: [{ id: 7, marketId: 1, name: '东门', active: true }] },
      },
      { ...lots, response: { status: 200, body: [lot] } },
      { ...lots, response: { status: 200, body: [lot] } },
      { ...lots, response: { status: 200, body: [lot] } },
    ]);
    const { feed, handlers } = pushingFeed();
    renderConsole(<GateScreen user={user} feed={feed} />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: '东门' }));
    await screen.findByRole('button', { name: '继续扫码此车' });

    await act(async () => handlers.verdict?.(answer));
    await waitFor(() =>
      expect(document.querySelector('output.verdict')?.getAttribute('data-outcome')).toBe('pending'),
    );
    expect(screen.getByRole('button', { name: '撤销上一次扫码' })).toBeTruthy();
    const listed = () => transport.sent.filter((r) => r.path === lots.path).length;
    const listedBefore = listed();

    await act(async () => handlers.reversal?.(reversal));
    await waitFor(() =>
      expect(document.querySelector('output.verdict')?.getAttribute('data-outcome')).toBe('waiting'),
    );
    expect(screen.queryByRole('button', { name: '撤销上一次扫码' })).toBeNull();
    expect(screen.getByText('本道口另一屏幕撤销了一次扫码：湘A·12345 · 大白菜')).toBeTruthy();
    expect(document.querySelector('.recent-undone')).not.toBeNull();
    await waitFor(() => expect(listed()).toBeGreaterThan(listedBefore));
  });
});
