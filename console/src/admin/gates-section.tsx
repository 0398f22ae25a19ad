import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import {
  ConfirmButton,
  fieldsOf,
  ListProblem,
  MarketSelect,
  Problem,
  useMarketNames,
  useRegistryList,
  useRegistryWrite,
} from './admin-form.tsx';
import type { GateRow } from './registry-api.ts';

/** Adds a gate to a market; in the wizard, to the market just made. */
export function GateForm({ marketId, onDone }: { marketId?: number; onDone?: (gate: GateRow) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);
  const write = useRegistryWrite(
    (body: { marketId: number; name: string }) => api.registry.createGate(body),
    (gate) => {
      form.current?.reset();
      onDone?.(gate);
    },
  );
  return (
    <form
      ref={form}
      className="card admin-form"
      aria-label={t('admin.gate.create')}
      onSubmit={(event) => {
        const field = fieldsOf(event);
        write.run({ marketId: Number(field('marketId')), name: field('name') });
      }}
    >
      <h2>{t('admin.gate.create')}</h2>
      <MarketSelect marketId={marketId} />
      <label>
        {t('admin.field.name')}
        <input name="name" required maxLength={40} autoComplete="off" />
      </label>
      <Problem text={write.problem} />
      <button type="submit" className="primary" disabled={write.busy}>
        {t('admin.create')}
      </button>
    </form>
  );
}

function GateItem({ gate, marketName }: { gate: GateRow; marketName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const update = useRegistryWrite(
    (name: string) => api.registry.updateGate(gate.id, { name }),
    () => setEditing(false),
  );
  const deactivate = useRegistryWrite(() => api.registry.deactivateGate(gate.id));
  return (
    <li className={gate.active ? undefined : 'inactive'}>
      <span className="admin-name">{gate.name}</span>
      <span className="hint">
        {marketName}
        {!gate.active && ` · ${t('admin.inactive')}`}
      </span>
      {editing ? (
        <form
          className="admin-inline"
          aria-label={`${t('admin.gate.edit')} ${gate.name}`}
          onSubmit={(event) => update.run(fieldsOf(event)('name'))}
        >
          <label>
            {t('admin.field.name')}
            <input name="name" required maxLength={40} defaultValue={gate.name} />
          </label>
          <button type="submit" disabled={update.busy}>
            {t('admin.save')}
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            {t('admin.cancel')}
          </button>
          <Problem text={update.problem} />
        </form>
      ) : (
        gate.active && (
          <span className="admin-actions">
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {t('admin.edit')}
            </button>
            <ConfirmButton
              label={t('admin.deactivate')}
              confirm={t('admin.confirmDeactivate')}
              onConfirm={() => deactivate.run(undefined)}
              disabled={deactivate.busy}
            />
          </span>
        )
      )}
      <Problem text={deactivate.problem} />
    </li>
  );
}

/** The gates of the caller's markets; a deactivated gate's devices are refused from then on. */
export function GatesList({ marketId }: { marketId?: number }) {
  const { t } = useTranslation();
  const gates = useRegistryList('gates');
  const marketName = useMarketNames();
  const shown = gates.data?.filter((g) => marketId === undefined || g.marketId === marketId) ?? [];
  return (
    <section className="card">
      <h2>{t('admin.gate.list')}</h2>
      <ListProblem error={gates.error} />
      {gates.data && shown.length === 0 && <p className="hint">{t('admin.empty')}</p>}
      <ul className="admin-list" aria-label={t('admin.gate.list')}>
        {shown.map((gate) => (
          <GateItem key={gate.id} gate={gate} marketName={marketName(gate.marketId)} />
        ))}
      </ul>
    </section>
  );
}

export function GatesSection() {
  return (
    <section className="admin-section">
      <GateForm />
      <GatesList />
    </section>
  );
}
