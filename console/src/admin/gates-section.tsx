import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import {
  fieldsOf,
  MarketSelect,
  Problem,
  useMarketNames,
  useRegistryList,
  useRegistryWrite,
} from './admin-form.tsx';
import type { GateRow } from './registry-api.ts';
import { RegistryListCard, RegistryRowActions } from './registry-list.tsx';

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
  return (
    <li className={gate.active ? undefined : 'inactive'}>
      <span className="admin-name">{gate.name}</span>
      <span className="hint">
        {marketName}
        {!gate.active && ` · ${t('admin.inactive')}`}
      </span>
      <RegistryRowActions
        editLabel={`${t('admin.gate.edit')} ${gate.name}`}
        active={gate.active}
        read={(field) => field('name')}
        update={(name: string) => api.registry.updateGate(gate.id, { name })}
        deactivate={() => api.registry.deactivateGate(gate.id)}
        fields={
          <label>
            {t('admin.field.name')}
            <input name="name" required maxLength={40} defaultValue={gate.name} />
          </label>
        }
      />
    </li>
  );
}

/** The gates of the caller's markets; a deactivated gate's devices are refused from then on. */
export function GatesList({ marketId }: { marketId?: number }) {
  const { t } = useTranslation();
  const gates = useRegistryList('gates');
  const marketName = useMarketNames();
  return (
    <RegistryListCard
      title={t('admin.gate.list')}
      rows={gates.data?.filter((g) => marketId === undefined || g.marketId === marketId)}
      error={gates.error}
      rowKey={(gate) => gate.id}
      row={(gate) => <GateItem gate={gate} marketName={marketName(gate.marketId)} />}
    />
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
