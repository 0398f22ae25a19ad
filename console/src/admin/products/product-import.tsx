import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { issuesOf, productsKey } from '../catalogue-api.ts';
import { useWriteOutcome, WideTable, WriteOutcome } from '../catalogue-parts.tsx';
import { type ImportLineReason, type ImportRow, importRows } from './import-rows.ts';

/**
 * A catalogue CSV, chosen as a file or pasted, sent whole; under the form, each line with what came of it
 * (imported, refused and why, or fine but waiting for the others to be fixed).
 */
export function ProductImport() {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  const [csv, setCsv] = useState('');
  const [rows, setRows] = useState<ImportRow[]>([]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const sent = csv;
    const answer = await api.importProducts(sent);
    if (answer.ok) {
      setRows(importRows(sent, { imported: true }));
      await outcome.settle(Promise.resolve(answer), (value) => t('catalogue.productImport.imported', value));
      await queries.invalidateQueries({ queryKey: productsKey });
      return;
    }
    const issues = issuesOf(answer.error);
    setRows(issues.length > 0 ? importRows(sent, { imported: false, issues }) : []);
    // Refused lines are worded row by row below; any other refusal (offline, not allowed) is said here.
    if (issues.length > 0) outcome.clear();
    else await outcome.settle(Promise.resolve(answer), () => '');
  }

  return (
    <form className="card" onSubmit={submit} aria-label={t('catalogue.productImport.title')}>
      <h2>{t('catalogue.productImport.title')}</h2>
      <p className="hint">{t('catalogue.productImport.hint')}</p>
      <label>
        {t('catalogue.productImport.file')}
        <input
          name="file"
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (file) setCsv(await file.text());
          }}
        />
      </label>
      <label className="wide">
        {t('catalogue.productImport.text')}
        <textarea
          name="csv"
          className="csv"
          required
          value={csv}
          onChange={(event) => setCsv(event.currentTarget.value)}
        />
      </label>
      <button type="submit" className="chosen">
        {t('catalogue.productImport.submit')}
      </button>
      <WriteOutcome outcome={outcome} />
      {rows.length > 0 && rows.some((row) => row.status === 'refused') && (
        <p className="problem" role="alert">
          {t('catalogue.productImport.fileRefused')}
        </p>
      )}
      {rows.length > 0 && <ImportResult rows={rows} />}
    </form>
  );
}

function ImportResult({ rows }: { rows: ImportRow[] }) {
  const { t } = useTranslation();
  return (
    <WideTable label={t('catalogue.productImport.result')}>
      <thead>
        <tr>
          <th>{t('catalogue.productImport.line')}</th>
          <th>{t('catalogue.productImport.row')}</th>
          <th>{t('catalogue.productImport.result')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.line} className={row.status} data-line={row.line}>
            <td>{row.line}</td>
            <td>
              <code>{row.text}</code>
            </td>
            <td>{rowResult(t, row)}</td>
          </tr>
        ))}
      </tbody>
    </WideTable>
  );
}

type Translate = ReturnType<typeof useTranslation>['t'];

function rowResult(t: Translate, row: ImportRow): string {
  if (row.status === 'header') return t('catalogue.productImport.header');
  if (row.status === 'accepted') return t('catalogue.productImport.accepted');
  if (row.status === 'waiting') return t('catalogue.productImport.waiting');
  return t('catalogue.productImport.refusedRow', { reason: reasonText(t, row.reason) });
}

/** The sentence for a refused line, chosen by its code from the domain's table (`catalogue.productImport.reasons`). */
function reasonText(t: Translate, reason: ImportLineReason | undefined): string {
  if (!reason) return '';
  if (reason.kind === 'other') return reason.message;
  const { code, fields = [], productCode } = reason.problem;
  return t(`catalogue.productImport.reasons.${code}`, {
    fields: fields.map((field) => t(`catalogue.productImport.fields.${field}`)).join(t('admin.separator')),
    productCode,
  });
}
