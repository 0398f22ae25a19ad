import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResponse, Transport } from '../src/api/transport.ts';
import { replayTransport } from '../src/api/transport.ts';
import { StallScreen } from '../src/stall/stall-screen.tsx';
import { renderConsole } from './render.tsx';

afterEach(cleanup);

const parentId = '0123456789abcdef';
const vendors = { status: 200, body: [{ id: 1, stallNumber: 'A-01', issuerId: 4 }] };

function fillForm() {
  fireEvent.change(screen.getByLabelText('来源合格证码或编号'), { target: { value: parentId } });
  fireEvent.change(screen.getByLabelText('使用数量'), { target: { value: '50' } });
  fireEvent.change(screen.getByLabelText('产品代码'), { target: { value: '1001' } });
  fireEvent.change(screen.getByLabelText('数量'), { target: { value: '50' } });
}

/** The recorded answers, except that the repack waits until the test lets it answer. */
function heldRepack(answer: ApiResponse) {
  const replay = replayTransport([
    { method: 'GET', path: '/api/v1/vendors', response: vendors },
    { method: 'GET', path: '/api/v1/certificates?limit=100', response: { status: 200, body: [] } },
  ]);
  let release = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  const transport: Transport & { repacks: number } = Object.assign(
    async (request: Parameters<Transport>[0]) => {
      if (request.path !== '/api/v1/certificates/repack') return replay(request);
      transport.repacks++;
      await released;
      return answer;
    },
    { repacks: 0 },
  );
  return { transport, release };
}

describe('stall screen', () => {
  it('issues once however often 开具 is pressed while the first press is in flight', async () => {
    const { transport, release } = heldRepack({
      status: 409,
      body: { error: { code: 'QUANTITY_EXCEEDED', message: 'parent has less than 50 kg left' } },
    });
    renderConsole(<StallScreen />, { transport });
    await screen.findByText('还没有开具过合格证。在上方填写来源合格证和数量即可开具。');
    fillForm();
    const issue = screen.getByRole('button', { name: '开具' });
    fireEvent.click(issue);
    await screen.findByRole('button', { name: '正在开具…' });
    fireEvent.click(screen.getByRole('button', { name: '正在开具…' }));
    fireEvent.submit(issue.closest('form')!);
    release();
    await screen.findByRole('button', { name: '开具' });
    expect(transport.repacks).toBe(1);
  });

  it('says in Chinese what to do when the sources have too little left, not the bare code', async () => {
    const { transport, release } = heldRepack({
      status: 409,
      body: { error: { code: 'QUANTITY_EXCEEDED', message: 'parent has less than 50 kg left' } },
    });
    release();
    renderConsole(<StallScreen />, { transport });
    await screen.findByText('还没有开具过合格证。在上方填写来源合格证和数量即可开具。');
    fillForm();
    fireEvent.click(screen.getByRole('button', { name: '开具' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('剩余数量不足'));
    expect(screen.getByRole('alert').textContent).not.toContain('QUANTITY_EXCEEDED');
  });
});
