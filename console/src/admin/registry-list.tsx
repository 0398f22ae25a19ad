import { Fragment, type Key, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult } from '../api/api.ts';
import { ConfirmButton, fieldsOf, ListProblem, Problem, useRegistryWrite } from './admin-form.tsx';

/**
 * One admin list as a card: its title, the list's failure to load, the empty state once loaded, and a row per
 * item (`row` renders the `<li>`). `rows` is undefined while the list loads.
 */
export function RegistryListCard<Row>({
  title,
  rows,
  error,
  rowKey,
  row,
  hint,
  named = true,
  showEmpty = true,
}: {
  title: string;
  rows: readonly Row[] | undefined;
  error: unknown;
  rowKey: (row: Row) => Key;
  row: (row: Row) => ReactNode;
  /** a line under the title */
  hint?: string;
  /** the list is named by the title (for screen readers and the browser tests) */
  named?: boolean;
  /** say "nothing yet" when the loaded list is empty */
  showEmpty?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{title}</h2>
      {hint && <p className="hint">{hint}</p>}
      <ListProblem error={error} />
      {showEmpty && rows?.length === 0 && <p className="hint">{t('admin.empty')}</p>}
      <ul className="admin-list" aria-label={named ? title : undefined}>
        {rows?.map((item) => (
          <Fragment key={rowKey(item)}>{row(item)}</Fragment>
        ))}
      </ul>
    </section>
  );
}

type Write = () => Promise<ApiResult<unknown>>;

/**
 * An irreversible write on a row (deactivate, revoke) behind a second press, and its refusal in words. `shown`
 * hides the button where the row no longer takes it or the caller may not.
 */
export function ConfirmedWrite({
  write,
  label,
  confirm,
  shown = true,
}: {
  write: Write;
  label: string;
  confirm: string;
  shown?: boolean;
}) {
  const run = useRegistryWrite(write);
  return (
    <>
      {shown && (
        <ConfirmButton
          label={label}
          confirm={confirm}
          onConfirm={() => run.run(undefined)}
          disabled={run.busy}
        />
      )}
      <Problem text={run.problem} />
    </>
  );
}

/**
 * A registry row's edit and deactivate: an edit button that opens an inline form (`fields`, read by `read` into
 * what `update` sends) and, where given, a deactivate button with a confirm. A deactivated row (`active` false)
 * shows neither; each refusal is shown in words by its code.
 */
export function RegistryRowActions<Input>({
  editLabel,
  fields,
  read,
  update,
  active = true,
  deactivate,
  editText,
}: {
  /** the edit form's accessible name, e.g. `修改道口名称 东门` */
  editLabel: string;
  fields: ReactNode;
  read: (field: (name: string) => string) => Input;
  update: (input: Input) => Promise<ApiResult<unknown>>;
  active?: boolean;
  /** the deactivation, where this caller may deactivate the row */
  deactivate?: Write;
  /** the edit button's words, when not the admin screen's 修改 */
  editText?: string;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const write = useRegistryWrite(update, () => setEditing(false));
  const off = useRegistryWrite(deactivate ?? noWrite);
  return (
    <>
      {editing ? (
        <form
          className="admin-inline"
          aria-label={editLabel}
          onSubmit={(event) => write.run(read(fieldsOf(event)))}
        >
          {fields}
          <button type="submit" disabled={write.busy}>
            {t('admin.save')}
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            {t('admin.cancel')}
          </button>
          <Problem text={write.problem} />
        </form>
      ) : (
        active && (
          <span className="admin-actions">
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {editText ?? t('admin.edit')}
            </button>
            {deactivate && (
              <ConfirmButton
                label={t('admin.deactivate')}
                confirm={t('admin.confirmDeactivate')}
                onConfirm={() => off.run(undefined)}
                disabled={off.busy}
              />
            )}
          </span>
        )
      )}
      {deactivate && <Problem text={off.problem} />}
    </>
  );
}

const noWrite: Write = async () => ({ ok: true, value: null });
