import type { RapidTestDecision, RapidTestMethod } from '@liangzheng/domain/rapid-test/rapid-test-schemas';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, RapidTest, User } from '../api/api.ts';
import { marketTime } from '../time/market-time.ts';
import { fileAsBase64, refusalText, useRapidTests } from './use-rapid-tests.ts';

const methods: RapidTestMethod[] = ['enzyme_inhibition', 'colloidal_gold', 'lab'];
const decisions: RapidTestDecision[] = ['released', 'destroyed', 'returned'];

/** What a write came to: nothing yet, a refusal to show, or done. */
function useOutcome() {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  return {
    problem,
    async settle<T>(answer: Promise<ApiResult<T>>): Promise<T | null> {
      const result = await answer;
      setProblem(result.ok ? null : refusalText(result.error, t('gate.offline')));
      return result.ok ? result.value : null;
    },
  };
}

/** 快检 for market staff: record a sample, see what is held, retest, decide. */
export function RapidTestScreen({ user }: { user: User }) {
  const { t } = useTranslation();
  const marketId = user.scope.kind === 'market' ? user.scope.marketId : null;
  if (marketId === null) return <p className="problem">{t('rapid.staffOnly')}</p>;
  return <RapidTests marketId={marketId} />;
}

function RapidTests({ marketId }: { marketId: number }) {
  const { t } = useTranslation();
  const tests = useRapidTests(marketId);
  return (
    <div className="rapid-tests">
      <h1>{t('rapid.title')}</h1>
      <RecordForm tests={tests} />
      <section aria-label={t('rapid.held')}>
        <h2>{t('rapid.held')}</h2>
        {tests.held.length === 0 && <p>{t('rapid.heldEmpty')}</p>}
        {tests.held.map((test) => (
          <HeldCard key={test.id} test={test} tests={tests} />
        ))}
      </section>
      <section aria-label={t('rapid.suggestions')}>
        <h2>{t('rapid.suggestions')}</h2>
        {tests.suggestions.length === 0 && <p>{t('rapid.noSuggestions')}</p>}
        <ul>
          {tests.suggestions.map((s) => (
            <li key={s.lotId}>
              {s.productName} · {s.issuerName ?? '—'} · {s.creditGrade ?? '—'} ·{' '}
              {t('rapid.weight', { weight: s.weight })} · {s.reasons.join('，')}
            </li>
          ))}
        </ul>
      </section>
      <RecentTable tests={tests.recent} />
    </div>
  );
}

type Tests = ReturnType<typeof useRapidTests>;

function RecordForm({ tests }: { tests: Tests }) {
  const { t } = useTranslation();
  const outcome = useOutcome();
  const [done, setDone] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('photo');
    const recorded = await outcome.settle(
      tests.record({
        lotId: String(form.get('lotId')),
        method: form.get('method') as RapidTestMethod,
        analyte: String(form.get('analyte')),
        sampleCount: Number(form.get('sampleCount')),
        result: form.get('result') === 'positive' ? 'positive' : 'negative',
        testerName: String(form.get('testerName')),
        photo: file instanceof File && file.size > 0 ? await fileAsBase64(file) : '',
      }),
    );
    setDone(
      recorded
        ? t('rapid.recorded', {
            product: recorded.productName,
            result: t(`rapid.results.${recorded.result}`),
          })
        : null,
    );
  }
  return (
    <form className="card rapid-record" onSubmit={submit} aria-label={t('rapid.record')}>
      <h2>{t('rapid.record')}</h2>
      <label>
        {t('rapid.lot')}
        <select name="lotId" required defaultValue="">
          <option value="" disabled>
            {t('rapid.chooseLot')}
          </option>
          {tests.lots.map((lot) => (
            <option key={lot.id} value={lot.id}>
              {[lot.plate, lot.productName, `${lot.quantity} ${lot.unit}`].filter(Boolean).join(' · ')}
            </option>
          ))}
        </select>
      </label>
      <MethodSelect />
      <label>
        {t('rapid.analyte')}
        <input name="analyte" required maxLength={60} />
      </label>
      <label>
        {t('rapid.sampleCount')}
        <input name="sampleCount" type="number" min={1} max={50} defaultValue={5} required />
      </label>
      <ResultChoice />
      <label>
        {t('rapid.tester')}
        <input name="testerName" required maxLength={60} />
      </label>
      <label>
        {t('rapid.photo')}
        <input name="photo" type="file" accept="image/jpeg,image/png,image/webp" required />
      </label>
      <button type="submit">{t('rapid.submit')}</button>
      {outcome.problem && <p className="problem">{outcome.problem}</p>}
      {done && <output>{done}</output>}
    </form>
  );
}

function MethodSelect() {
  const { t } = useTranslation();
  return (
    <label>
      {t('rapid.method')}
      <select name="method" defaultValue="enzyme_inhibition">
        {methods.map((m) => (
          <option key={m} value={m}>
            {t(`rapid.methods.${m}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function ResultChoice() {
  const { t } = useTranslation();
  return (
    <fieldset className="filters">
      <legend>{t('rapid.result')}</legend>
      {(['negative', 'positive'] as const).map((r) => (
        <label key={r} className="check">
          <input type="radio" name="result" value={r} defaultChecked={r === 'negative'} />
          {t(`rapid.results.${r}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** One positive still holding goods: where it stands, and the retest and decision forms. */
function HeldCard({ test, tests }: { test: RapidTest; tests: Tests }) {
  const { t, i18n } = useTranslation();
  const outcome = useOutcome();
  async function retest(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await outcome.settle(
      tests.retest(test.id, {
        method: form.get('method') as RapidTestMethod,
        result: form.get('result') === 'positive' ? 'positive' : 'negative',
        testerName: String(form.get('testerName')),
      }),
    );
  }
  async function decide(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await outcome.settle(
      tests.decide(test.id, {
        decision: form.get('decision') as RapidTestDecision,
        note: String(form.get('note') ?? ''),
      }),
    );
  }
  return (
    <article className="card held" aria-label={`${test.productName} ${test.analyte}`}>
      <h3>
        {test.productName} · {test.analyte} · {t(`rapid.methods.${test.method}`)}
      </h3>
      <p className="stage">{test.stage ? t(`rapid.stages.${test.stage}`) : ''}</p>
      {test.retestBy && <p>{t('rapid.retestBy', { time: marketTime(test.retestBy, i18n.language) })}</p>}
      {test.retest && (
        <p>
          {t('rapid.retest')}：{t(`rapid.methods.${test.retest.method}`)}{' '}
          {t(`rapid.results.${test.retest.result}`)}
        </p>
      )}
      {!test.retest && (
        <form onSubmit={retest} aria-label={t('rapid.retest')}>
          <MethodSelect />
          <ResultChoice />
          <label>
            {t('rapid.tester')}
            <input name="testerName" required maxLength={60} />
          </label>
          <button type="submit">{t('rapid.submitRetest')}</button>
        </form>
      )}
      <form onSubmit={decide} aria-label={t('rapid.decision')}>
        <label>
          {t('rapid.decision')}
          <select name="decision" defaultValue={test.stage === 'cleared' ? 'released' : 'destroyed'}>
            {decisions.map((d) => (
              <option key={d} value={d}>
                {t(`rapid.decisions.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('rapid.note')}
          <input name="note" maxLength={500} />
        </label>
        <button type="submit">{t('rapid.submitDecision')}</button>
      </form>
      {outcome.problem && <p className="problem">{outcome.problem}</p>}
    </article>
  );
}

function RecentTable({ tests }: { tests: RapidTest[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-label={t('rapid.recent')}>
      <h2>{t('rapid.recent')}</h2>
      <table className="rapid-recent">
        <tbody>
          {tests.map((test) => (
            <tr key={test.id}>
              <td>{marketTime(test.testedAt, i18n.language)}</td>
              <td>{test.productName}</td>
              <td>{test.analyte}</td>
              <td>{t(`rapid.methods.${test.method}`)}</td>
              <td className={test.result}>{t(`rapid.results.${test.result}`)}</td>
              <td>
                {test.decision
                  ? t(`rapid.decisions.${test.decision}`)
                  : test.stage
                    ? t(`rapid.stages.${test.stage}`)
                    : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
