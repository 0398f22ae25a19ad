import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StallReceiptAnswer } from '../api/api.ts';
import { CameraScan } from '../scan/camera-scan.tsx';
import type { Stall } from './use-stall.ts';

/** Receiving goods at the stall by scanning their certificate: the same check and charge as at the gate. */
export function ReceiptForm({ stall }: { stall: Stall }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [checking, setChecking] = useState(false);
  const [answer, setAnswer] = useState<StallReceiptAnswer | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (checking) return;
    setChecking(true);
    try {
      const received = await stall.receive(code.trim(), quantity ? Number(quantity) : undefined);
      setAnswer(received);
      if (received?.outcome === 'accept') {
        setCode('');
        setQuantity('');
      }
    } finally {
      setChecking(false);
    }
  }

  return (
    <form className="card receipt" onSubmit={submit}>
      <h2>{t('custody.receive')}</h2>
      <p className="hint">{t('custody.receiveHint')}</p>
      <label>
        {t('custody.receiveCode')}
        <input required value={code} onChange={(event) => setCode(event.currentTarget.value)} />
      </label>
      <CameraScan onCode={setCode} />
      <label>
        {t('custody.receiveQuantity')}
        <input
          type="number"
          min="0.001"
          step="any"
          value={quantity}
          onChange={(event) => setQuantity(event.currentTarget.value)}
        />
      </label>
      {answer && (
        <p className={answer.outcome === 'accept' ? 'ok' : 'problem'} role="status">
          {t(answer.outcome === 'accept' ? 'custody.received_ok' : 'custody.received_bad', {
            message: answer.message,
          })}
        </p>
      )}
      <button type="submit" className="big" disabled={checking} aria-busy={checking}>
        {checking ? t('custody.receiving') : t('custody.receive')}
      </button>
    </form>
  );
}
