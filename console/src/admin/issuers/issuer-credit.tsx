import { CreditGrade } from '@liangzheng/domain/trust/snapshot';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { type CreditGradeRow, type IssuerView, issuersKey } from '../catalogue-api.ts';
import { marketTime, useWriteOutcome, WideTable, WriteOutcome } from '../catalogue-parts.tsx';

/**
 * The issuer's credit grade as the server computed it (docs/credit.md): what the grade means, the points each rule
 * gave, and the administrator's override, which always takes a reason (the server refuses a blank one).
 */
export function IssuerCredit({ issuer }: { issuer: IssuerView }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  const creditKey = ['catalogue', 'credit', issuer.id];
  const credit = useQuery({ queryKey: creditKey, queryFn: () => api.credit(issuer.id) });
  const current = credit.data?.ok ? credit.data.value.current : null;

  async function override(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const done = await outcome.settle(
      api.overrideCredit(issuer.id, {
        grade: CreditGrade.parse(fields.get('grade')),
        reason: String(fields.get('reason')),
      }),
      (row) => t('catalogue.credit.overridden', { grade: row.grade }),
    );
    if (done) {
      form.reset();
      await queries.invalidateQueries({ queryKey: creditKey });
      await queries.invalidateQueries({ queryKey: issuersKey });
    }
  }

  return (
    <section aria-label={t('catalogue.credit.title')}>
      <h3>{t('catalogue.credit.title')}</h3>
      {credit.data?.ok && !current && <p>{t('catalogue.credit.none')}</p>}
      {current && <CurrentGrade row={current} />}
      {/* Keyed by the grade in force, so after an override the choice starts from the new grade. */}
      <form
        key={current?.grade ?? issuer.creditGrade}
        className="card"
        onSubmit={override}
        aria-label={t('catalogue.credit.override')}
      >
        <h3>{t('catalogue.credit.override')}</h3>
        <label>
          {t('catalogue.credit.newGrade')}
          <select name="grade" defaultValue={current?.grade ?? issuer.creditGrade}>
            {CreditGrade.options.map((grade) => (
              <option key={grade} value={grade}>
                {grade}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {t('catalogue.credit.reason')}
          <textarea name="reason" required maxLength={1000} />
        </label>
        <button type="submit" className="chosen">
          {t('catalogue.credit.overrideSubmit')}
        </button>
        <WriteOutcome outcome={outcome} />
      </form>
    </section>
  );
}

function CurrentGrade({ row }: { row: CreditGradeRow }) {
  const { t } = useTranslation();
  return (
    <div className="credit-current">
      <p>
        <span className="grade">{row.grade}</span>{' '}
        {t(row.source === 'override' ? 'catalogue.credit.currentOverride' : 'catalogue.credit.current', {
          grade: row.grade,
          score: row.score,
          source: t(`catalogue.credit.sources.${row.source}`),
          at: marketTime(row.computedAt),
        })}
      </p>
      <p>{t(`catalogue.credit.meaning.${row.grade}`)}</p>
      {row.source === 'override' && row.reason && (
        <p>{t('catalogue.credit.overrideReason', { reason: row.reason })}</p>
      )}
      {row.rules.length > 0 && (
        <WideTable label={t('catalogue.credit.rules')}>
          <caption>{t('catalogue.credit.rules')}</caption>
          <thead>
            <tr>
              <th>{t('catalogue.credit.rule')}</th>
              <th>{t('catalogue.credit.count')}</th>
              <th>{t('catalogue.credit.points')}</th>
            </tr>
          </thead>
          <tbody>
            {row.rules.map((rule) => (
              <tr key={rule.rule}>
                <td>{t(`catalogue.credit.ruleNames.${rule.rule}`, { defaultValue: rule.rule })}</td>
                <td>{rule.count}</td>
                <td>{rule.points > 0 ? `+${rule.points}` : rule.points}</td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      )}
    </div>
  );
}
