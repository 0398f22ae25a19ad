import { ScanReversalReason } from '@liangzheng/domain/scan/scan-reversal';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marketClock } from '../time/market-time.ts';
import type { GateState } from './use-gate.ts';

/**
 * 撤销上一次扫码: a scan read for the wrong truck, the wrong code or twice is undone on the server, recorded with
 * its reason (docs/custody.md). Confirmed in place, by picking the reason, so no dialog takes the scanner's focus.
 */
export function UndoLastScan({ gate }: { gate: GateState }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const last = gate.lastScan;
  if (!last) return null;
  if (!confirming) {
    return (
      <section className="undo-scan">
        <button type="button" className="undo" onClick={() => setConfirming(true)}>
          {t('gateUndo.undo')}
        </button>
      </section>
    );
  }
  const done = () => {
    setConfirming(false);
    gate.focusCode();
  };
  return (
    <section className="undo-scan card" aria-label={t('gateUndo.undo')}>
      <p>
        {t('gateUndo.confirm', {
          subject: last.subject || t('gate.unnamed'),
          time: marketClock(last.at, i18n.language),
          outcome: t(`outcome.${last.outcome}`),
        })}
      </p>
      <div className="actions">
        {ScanReversalReason.options.map((reason) => (
          <button
            type="button"
            key={reason}
            className="big danger"
            onClick={() => {
              done();
              void gate.undoLastScan(reason);
            }}
          >
            {t(`gateUndo.reason.${reason}`)}
          </button>
        ))}
        <button type="button" className="big" onClick={done}>
          {t('gateUndo.cancel')}
        </button>
      </div>
    </section>
  );
}
