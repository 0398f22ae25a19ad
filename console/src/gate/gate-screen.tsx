import { useTranslation } from 'react-i18next';
import type { User } from '../api/api.ts';
import { CameraScan } from '../scan/camera-scan.tsx';
import { marketClock } from '../time/market-time.ts';
import { VerdictPanel } from '../verdict/verdict-panel.tsx';
import { DemoGateReplay } from './demo-replay.tsx';
import type { GateFeed } from './gate-feed.ts';
import { LotRegistration } from './lot-registration.tsx';
import { NetworkDown } from './network-down.tsx';
import { ReviewActions } from './review-actions.tsx';
import { RapidTestHold, TodayLots } from './today-lots.tsx';
import { UndoLastScan } from './undo-scan.tsx';
import { type GateState, useGate } from './use-gate.ts';

/**
 * The gate, scan-first: the verdict and the code field stay pinned at the top of the screen while the rest
 * scrolls under them. A wedge scanner's scan is caught wherever the focus is (useGate), and every action hands the
 * focus back to the code field. No dialogs steal the scanner's focus.
 */
export function GateScreen({ user, feed }: { user: User; feed: GateFeed }) {
  const gate = useGate(user, feed);
  return (
    <div className="gate">
      <GateBar gate={gate} />
      <div className="gate-pinned">
        {gate.reachable ? (
          <VerdictPanel verdict={gate.shown} waitingFor={gate.current?.name} />
        ) : (
          <NetworkDown unsent={gate.unsentCount} />
        )}
        <CodeEntry gate={gate} />
      </div>
      {gate.notice && (
        <p className={gate.notice.tone === 'problem' ? 'problem' : 'notice'} role="status">
          {gate.notice.text}
        </p>
      )}
      <CurrentLot gate={gate} />
      <UndoLastScan gate={gate} />
      {gate.reviewLotId && (
        <ReviewActions
          key={gate.reviewLotId}
          lotId={gate.reviewLotId}
          onReview={gate.review}
          onDismiss={() => {
            gate.setReviewLotId(null);
            gate.focusCode();
          }}
        />
      )}
      <LotRegistration onRegister={gate.register} />
      <TodayLots
        lots={gate.todayLots}
        currentId={gate.current?.id ?? null}
        onResume={gate.resume}
        onReview={gate.setReviewLotId}
        onAddDocuments={gate.addDocuments}
      />
      <RecentVerdicts gate={gate} />
      <DemoGateReplay gate={gate} />
      <GateSettings gate={gate} />
    </div>
  );
}

function GateBar({ gate }: { gate: GateState }) {
  const { t } = useTranslation();
  return (
    <header className="gate-bar">
      <fieldset className="gate-choice" aria-label={t('gate.chooseGate')}>
        {gate.gateList.map((g) => (
          <button
            type="button"
            key={g.id}
            aria-pressed={g.id === gate.gateId}
            className={g.id === gate.gateId ? 'chosen' : ''}
            onClick={() => gate.chooseGate(g.id)}
          >
            {g.name}
          </button>
        ))}
      </fieldset>
      <span className={`feed feed-${gate.feedState}`}>
        {gate.feedState === 'live' ? t('gate.live') : t('gate.offline')}
      </span>
    </header>
  );
}

/** The code field: typed or pasted codes submit with Enter; scanners are caught globally. */
function CodeEntry({ gate }: { gate: GateState }) {
  const { t } = useTranslation();
  return (
    <form
      className="code-entry"
      onSubmit={(event) => {
        event.preventDefault();
        void gate.check(gate.codeField.current?.value ?? '');
      }}
    >
      <label className="wide">
        {gate.current ? t('gate.codeFor', { name: gate.current.name }) : t('gate.codeCheckOnly')}
        <input
          ref={gate.codeField}
          name="code"
          aria-label={t('gate.code')}
          placeholder={t('gate.codePlaceholder')}
          autoComplete="off"
          // biome-ignore lint/a11y/noAutofocus: the gate is a scanning station; the code field is its home
          autoFocus
        />
      </label>
      <button type="submit" className="big">
        {t('gate.check')}
      </button>
      <CameraScan onCode={(code) => void gate.check(code, 'camera')} />
    </form>
  );
}

/** The truck being scanned, and 本车扫完 to close it: the server then judges it as closed. */
function CurrentLot({ gate }: { gate: GateState }) {
  const { t } = useTranslation();
  if (!gate.current) return null;
  return (
    <section className="current-lot">
      <span>
        {t('gate.current')}：<strong>{gate.current.name}</strong>
      </span>
      {gate.todayLots.some((lot) => lot.id === gate.current?.id && lot.rapidTestHold) && <RapidTestHold />}
      <button type="button" className="close-lot" onClick={() => void gate.closeCurrent()}>
        {t('gate.closeLot')}
      </button>
    </section>
  );
}

function RecentVerdicts({ gate }: { gate: GateState }) {
  const { t, i18n } = useTranslation();
  return (
    <section>
      <h2>{t('gate.recent')}</h2>
      <ol className="recent">
        {gate.recent.map((v) => (
          <li
            key={v.scanId ?? `${v.at}-${v.subject}`}
            className={`recent-${v.outcome}${v.scanId && gate.undoneScans.has(v.scanId) ? ' recent-undone' : ''}`}
          >
            {marketClock(v.at, i18n.language)} · {t(`outcome.${v.outcome}`)} · {v.subject}
            {v.reason && ` · ${t(`reason.${v.reason}`)}`}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** How long a verdict stays up, per gate screen (kept in this browser). */
function GateSettings({ gate }: { gate: GateState }) {
  const { t } = useTranslation();
  return (
    <details className="settings">
      <summary>{t('gate.settings')}</summary>
      <label>
        {t('gate.resetSeconds')}
        <input
          type="number"
          name="resetSeconds"
          min="1"
          step="1"
          defaultValue={gate.resetSeconds}
          onChange={(event) => gate.setResetSeconds(Number(event.target.value))}
        />
      </label>
    </details>
  );
}
