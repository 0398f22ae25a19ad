import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse, Transport } from '../src/api/transport.ts';
import { replayTransport } from '../src/api/transport.ts';
import { StallScreen } from '../src/stall/stall-screen.tsx';
import recorded from './fixtures/stall-exchanges.json' with { type: 'json' };
import { renderConsole } from './render.tsx';

afterEach(cleanup);

/** Recorded from the real app on the demo data by server/test/custody/stall-fixtures.test.ts. */
const exchanges = recorded as { name: string; method: 'GET' | 'POST'; path: string; response: ApiResponse }[];
const answer = (name: string) => exchanges.find((e) => e.name === name)!;

/** The recorded reads; the transformation waits until the test lets it answer with the recorded `name`. */
function heldTransformation(name: 'repack' | 'overdraw') {
  const reads = replayTransport(exchanges.filter((e) => e.method === 'GET'));
  let release = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  const sent: ApiRequest[] = [];
  const transport: Transport = async (request) => {
    if (request.method !== 'POST') return reads(request);
    sent.push(request);
    await released;
    return answer(name).response;
  };
  return { transport, release, sent };
}

/** The demo's 大白菜 lot at A-01 as recorded: 300 kg received from the cooperative. */
const cabbage = (
  answer('inventory').response.body as { certificateId: string; left: number; lotId: string | null }[]
).find((item) => item.lotId === 'demo-lot-a01-cabbage')!;

async function cabbageRow() {
  const inventory = (await screen.findByText('本摊位库存')).closest('section')!;
  return (await within(inventory).findAllByRole('row')).find((row) =>
    row.textContent?.includes(cabbage.certificateId),
  )!;
}

async function chooseAndFill() {
  const row = await cabbageRow();
  fireEvent.click(within(row).getByRole('button', { name: '选用' }));
  fireEvent.change(screen.getByLabelText('取用数量'), { target: { value: '50' } });
  fireEvent.click(screen.getByRole('button', { name: '再开一份' }));
  const quantities = screen.getAllByLabelText('数量');
  fireEvent.change(quantities[0]!, { target: { value: '25' } });
  fireEvent.change(quantities[1]!, { target: { value: '20' } });
}

describe('stall screen', () => {
  it('lists the goods with the source certificate, what is left, the date and the state', async () => {
    const { transport } = heldTransformation('repack');
    renderConsole(<StallScreen />, { transport });
    const inventory = (await screen.findByText('本摊位库存')).closest('section')!;
    const headers = (await within(inventory).findAllByRole('columnheader')).map((h) => h.textContent);
    expect(headers.slice(0, 5)).toEqual(['产品', '剩余', '来源合格证', '日期', '状态']);
    const row = await cabbageRow();
    expect(row.textContent).toContain(`${cabbage.left} / 300 千克`);
    expect(row.textContent).toContain('可用');
  });

  it('shows taken / made / loss as the vendor types, and issues once however often 开具 is pressed', async () => {
    const { transport, release, sent } = heldTransformation('repack');
    renderConsole(<StallScreen />, { transport });
    await chooseAndFill();
    expect(screen.getByText(/取用/, { selector: '.conservation' }).textContent).toMatch(
      /取用 50 · 开出 45 · 损耗 5 千克 \(10\.0%\)/,
    );
    const issue = screen.getByRole('button', { name: '开具' });
    fireEvent.click(issue);
    await screen.findByRole('button', { name: '正在开具…' });
    fireEvent.submit(issue.closest('form')!);
    fireEvent.submit(issue.closest('form')!);
    release();
    await screen.findByText('已开具 2 份合格证');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({
      kind: 'repack',
      inputs: [{ itemId: expect.stringMatching(/^lot:/), quantity: 50 }],
      outputs: [
        { quantity: 25, unit: 'kg', keep: false },
        { quantity: 20, unit: 'kg', keep: false },
      ],
    });
  });

  it('says in Chinese what to do when the inventory has too little left, not the bare code', async () => {
    const { transport, release } = heldTransformation('overdraw');
    release();
    renderConsole(<StallScreen />, { transport });
    await chooseAndFill();
    fireEvent.click(screen.getByRole('button', { name: '开具' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('库存剩余不足'));
    expect(screen.getByRole('alert').textContent).not.toContain('QUANTITY_EXCEEDED');
  });
});
