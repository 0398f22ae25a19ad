import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import type { GateState } from './use-gate.ts';
import { problemOf } from './use-gate.ts';

/** While the simulated gate plays, the screen asks now and then whether it has finished. */
const playingPollMs = 3_000;

/**
 * 演示：播放模拟道口 (docs/demo.md): on a server with the demo data, a newcomer plays the simulated gate and
 * watches its scans arrive. The screen turns to the demo gate, where they arrive; absent without demo data.
 */
export function DemoGateReplay({ gate }: { gate: GateState }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const [message, setMessage] = useState<{ problem: boolean; text: string } | null>(null);
  const status = useQuery({
    queryKey: ['demo-gate-replay'],
    queryFn: api.demoGateReplay,
    refetchInterval: (query) =>
      query.state.data?.ok && query.state.data.value.running ? playingPollMs : false,
  });
  const replay = status.data?.ok ? status.data.value : null;
  if (!replay?.available) return null;

  const play = async () => {
    const started = await api.playDemoGate();
    gate.focusCode();
    void queries.invalidateQueries({ queryKey: ['demo-gate-replay'] });
    if (!started.ok) return setMessage({ problem: true, text: problemOf(t, started.error) });
    if (started.value.gateId !== gate.gateId) gate.chooseGate(started.value.gateId);
    setMessage({ problem: false, text: t('gateDemo.started') });
  };

  return (
    <section className="demo-replay">
      <button type="button" className="big" disabled={replay.running} onClick={() => void play()}>
        {replay.running ? t('gateDemo.playing') : t('gateDemo.play')}
      </button>
      {message && (
        <p className={message.problem ? 'problem' : 'notice'} role="status">
          {message.text}
        </p>
      )}
    </section>
  );
}
