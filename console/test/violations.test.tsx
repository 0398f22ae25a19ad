import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedExchange, replayTransport } from '../src/api/transport.ts';
import type { ViolationFeed } from '../src/regulator/violation-feed.ts';
import { movesFrom } from '../src/regulator/violation-moves.ts';
import { ViolationCard, ViolationsQueue } from '../src/regulator/violations.tsx';
import { renderConsole } from './render.tsx';

afterEach(cleanup);

const id = 'v-1';
const path = `/api/v1/violations/${id}`;

function detail(status: string, events: { from: string; to: string; note: string }[] = []) {
  return {
    id,
    lotId: 'lot-1',
    scanId: null,
    marketId: 1,
    marketName: '马王堆蔬菜批发市场',
    plate: '湘A·12345',
    productName: '大白菜',
    regionCode: '430102',
    reason: 'REVOKED',
    status,
    assigneeId: null,
    createdAt: '2026-03-01T04:00:00.000Z',
    updatedAt: '2026-03-01T04:00:00.000Z',
    ageDays: 0,
    dueAt: '2026-03-04T04:00:00.000Z',
    overdue: false,
    dispositions: [],
    events: events.map((e, i) => ({
      id: i + 1,
      type: 'transition',
      fromStatus: e.from,
      toStatus: e.to,
      note: e.note,
      evidence: null,
      actorId: 7,
      at: '2026-03-01T05:00:00.000Z',
    })),
    scan: null,
  };
}

const answer = (body: unknown, status = 200) => ({ status, body });

describe('violation transitions', () => {
  it('offers only the moves the server allows', () => {
    expect(movesFrom('open')).toEqual(['reviewing']);
    expect(movesFrom('reviewing')).toEqual(['confirmed', 'dismissed']);
    expect(movesFrom('confirmed')).toEqual(['rectified']);
    expect(movesFrom('dismissed')).toEqual([]);
  });

  it('moves open → reviewing with the note, then shows the trail', async () => {
    const exchanges: RecordedExchange[] = [
      { method: 'GET', path, response: answer(detail('open')) },
      { method: 'POST', path: `${path}/transition`, response: answer({ ok: true }) },
      {
        method: 'GET',
        path,
        response: answer(detail('reviewing', [{ from: 'open', to: 'reviewing', note: '已联系摊主' }])),
      },
    ];
    const transport = replayTransport(exchanges);
    renderConsole(<ViolationCard id={id} />, { transport });

    const move = await screen.findByRole('button', { name: '转为 核查中' });
    // where and what, without opening the lot
    expect(screen.getByText('马王堆蔬菜批发市场 · 湘A·12345 · 大白菜')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /已确认/ })).toBeNull();
    fireEvent.change(screen.getByRole('textbox', { name: '备注' }), { target: { value: '已联系摊主' } });
    fireEvent.click(move);

    await screen.findByRole('button', { name: '转为 已确认' });
    expect(screen.getByRole('button', { name: '转为 已撤销' })).toBeTruthy();
    expect(screen.getByText(/待处理 → 核查中 · 已联系摊主/)).toBeTruthy();
    expect(transport.sent.find((r) => r.method === 'POST')?.body).toEqual({
      to: 'reviewing',
      note: '已联系摊主',
    });
  });

  it('shows the server refusing a move as an error code, and keeps the status', async () => {
    const transport = replayTransport([
      { method: 'GET', path, response: answer(detail('reviewing')) },
      {
        method: 'POST',
        path: `${path}/transition`,
        response: answer(
          {
            error: {
              code: 'VIOLATION_TRANSITION_INVALID',
              message: 'no',
              from: 'confirmed',
              to: 'confirmed',
              allowed: [],
            },
          },
          409,
        ),
      },
    ]);
    renderConsole(<ViolationCard id={id} />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: '转为 已确认' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('VIOLATION_TRANSITION_INVALID'),
    );
    expect(screen.getByText('核查中')).toBeTruthy();
  });

  it('records a note without moving', async () => {
    const transport = replayTransport([
      { method: 'GET', path, response: answer(detail('confirmed')) },
      { method: 'POST', path: `${path}/notes`, response: answer({ ok: true }) },
      { method: 'GET', path, response: answer(detail('confirmed')) },
    ]);
    renderConsole(<ViolationCard id={id} />, { transport });
    const add = await screen.findByRole('button', { name: '添加备注' });
    expect((add as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: '备注' }), { target: { value: '整改期限 7 天' } });
    fireEvent.click(add);
    // The card also asks who is signed in (for 指派给我); that read is not part of this exchange.
    const violationCalls = () => transport.sent.filter((r) => r.path !== '/api/v1/auth/me');
    await waitFor(() => expect(violationCalls().filter((r) => r.method === 'GET')).toHaveLength(2));
    expect(violationCalls()[1]).toEqual({
      method: 'POST',
      path: `${path}/notes`,
      body: { note: '整改期限 7 天' },
    });
  });
});

describe('violations queue', () => {
  it('refetches when the region feed reports a new violation', async () => {
    const listPath = '/api/v1/violations?status=open&limit=200';
    const { events: _events, scan: _scan, ...row } = detail('open');
    const transport = replayTransport([
      { method: 'GET', path: listPath, response: answer([]) },
      { method: 'GET', path: listPath, response: answer([row]) },
    ]);
    let announce: (id: string) => void = () => {};
    const feed: ViolationFeed = {
      follow(onChange) {
        announce = onChange;
        return () => {};
      },
    };
    renderConsole(<ViolationsQueue feed={feed} />, { transport });
    await screen.findByText('此状态下没有违规。道口判定为“拒绝”的批次会自动出现在这里。');
    announce(id);
    expect(await screen.findByText('该合格证已作废')).toBeTruthy();
    expect(transport.sent.filter((r) => r.path === listPath)).toHaveLength(2);
  });
});
