import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiRequest, type RecordedExchange, replayTransport } from '../src/api/transport.ts';
import type { GateFeed } from '../src/gate/gate-feed.ts';
import { GateScreen } from '../src/gate/gate-screen.tsx';
import { renderConsole } from './render.tsx';

afterEach(cleanup);

const user = {
  userId: 3,
  username: 'mawangdui_gate',
  role: 'gate_staff' as const,
  scope: { kind: 'market' as const, marketId: 1 },
};
/** The socket edge: nothing arrives live in these tests. */
const quietFeed: GateFeed = {
  watch(_gate, _onVerdict, onState) {
    onState('live');
    return () => undefined;
  },
};
const lot = {
  id: 'lot-20260315-0001',
  gateId: 7,
  plate: '湘A·12345',
  supplier: '宁乡绿源',
  productName: '大白菜',
  quantity: 100,
  unit: 'kg',
  status: 'open',
  outcome: null,
  // today's lots at this gate are listed to resume; the recording is replayed as of today
  openedAt: new Date().toISOString(),
  documents: [],
};
const answer = {
  scanId: 'set-by-the-test',
  lotId: lot.id,
  receivedAt: '2026-03-15T06:00:00.000Z',
  verdict: {
    outcome: 'accept',
    reasons: [],
    primary: null,
    rulesVersion: '2026.1',
    documents: [],
    claims: [],
  },
  message: '查验通过',
  conflict: false,
  provisionalOutcome: null,
  violationId: null,
};
const exchanges = (): RecordedExchange[] => [
  {
    method: 'GET',
    path: '/api/v1/gates',
    response: { status: 200, body: [{ id: 7, marketId: 1, name: '东门', active: true }] },
  },
  { method: 'GET', path: '/api/v1/lots?limit=200', response: { status: 200, body: [lot] } },
  { method: 'POST', path: '/api/v1/scans', response: { status: 200, body: answer } },
];

/** The replayed server behind a network that drops the first scan request. */
function droppingFirstScan() {
  const replay = replayTransport(exchanges());
  let dropped = false;
  const sent: ApiRequest[] = [];
  const transport = async (request: ApiRequest) => {
    sent.push(request);
    if (request.path === '/api/v1/scans' && !dropped) {
      dropped = true;
      throw new TypeError('Failed to fetch');
    }
    return replay(request);
  };
  return Object.assign(transport, { sent });
}

describe('the gate judges a typed code against the truck being scanned', () => {
  it('posts a manual scan with a client scanId, re-sends the same scanId after a network failure, and shows the verdict', async () => {
    localStorage.clear();
    const transport = droppingFirstScan();
    renderConsole(<GateScreen user={user} feed={quietFeed} />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: '东门' }));
    fireEvent.click(await screen.findByRole('button', { name: '继续扫码此车' }));
    fireEvent.change(screen.getByLabelText('合格证码'), { target: { value: 'HTTPS://LZ.DEMO.CN/V/LZ1ABC' } });
    fireEvent.click(screen.getByRole('button', { name: '核验' }));
    await waitFor(() =>
      expect(document.querySelector('output.verdict')?.getAttribute('data-outcome')).toBe('accept'),
    );

    const scans = transport.sent.filter((r) => r.path === '/api/v1/scans');
    expect(scans).toHaveLength(2);
    const [first, again] = scans.map(
      (r) =>
        r.body as {
          scanId: string;
          lotId: string;
          gateId: string;
          provenance: { source: string; rawText: string };
        },
    );
    expect(first!.scanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again!.scanId).toBe(first!.scanId);
    expect(first).toMatchObject({
      lotId: lot.id,
      gateId: 7,
      provenance: { source: 'manual', rawText: 'HTTPS://LZ.DEMO.CN/V/LZ1ABC' },
    });
    expect(transport.sent.some((r) => r.path.startsWith('/api/v1/verify'))).toBe(false);
  });

  it('only checks the code (public verify) when no lot is chosen', async () => {
    localStorage.clear();
    const transport = replayTransport([
      ...exchanges(),
      {
        method: 'GET',
        path: '/api/v1/verify?code=LZ1X',
        response: {
          status: 422,
          body: {
            error: {
              code: 'CODE_NOT_VERIFIABLE',
              message: '二维码无法识别，请重新扫描或手工录入',
              reason: 'MALFORMED',
            },
          },
        },
      },
    ]);
    renderConsole(<GateScreen user={user} feed={quietFeed} />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: '东门' }));
    fireEvent.change(screen.getByLabelText('合格证码'), { target: { value: 'LZ1X' } });
    fireEvent.click(screen.getByRole('button', { name: '核验' }));
    await waitFor(() => expect(transport.sent.some((r) => r.path === '/api/v1/verify?code=LZ1X')).toBe(true));
    expect(transport.sent.some((r) => r.path === '/api/v1/scans')).toBe(false);
    // The 422 answer is still an answer about the code: an unreadable code goes to review, not to an error.
    await waitFor(() => expect(screen.getAllByRole('status')[0]?.dataset.outcome).toBe('review'));
  });
});
