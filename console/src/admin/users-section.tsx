import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import {
  fieldsOf,
  MarketSelect,
  Problem,
  useMarketNames,
  useRegistryList,
  useRegistryWrite,
} from './admin-form.tsx';
import type { UserInput, UserView } from './registry-api.ts';
import { RegistryListCard, RegistryRowActions } from './registry-list.tsx';

type Role = User['role'];
const allRoles: readonly Role[] = ['admin', 'market_admin', 'gate_staff', 'vendor', 'producer', 'regulator'];
/** A market admin hires their own market's gate staff and vendors only (the server refuses the rest). */
const marketAdminRoles: readonly Role[] = ['gate_staff', 'vendor'];

/** The one scope field each role needs, as the server's `scopeOf` reads it. */
const bindingOf = (role: Role) =>
  (
    ({
      admin: null,
      market_admin: 'marketId',
      gate_staff: 'marketId',
      vendor: 'stallId',
      producer: 'issuerId',
      regulator: 'regionPrefix',
    }) as const
  )[role];

function StallBinding() {
  const { t } = useTranslation();
  const stalls = useRegistryList('stalls');
  const marketName = useMarketNames();
  return (
    <label>
      {t('admin.field.stallId')}
      <select aria-label={t('admin.field.stallId')} name="stallId" required defaultValue="">
        <option value="">{t('admin.choose')}</option>
        {stalls.data
          ?.filter((s) => s.active)
          .map((stall) => (
            <option key={stall.id} value={stall.id}>
              {marketName(stall.marketId)} {stall.number}
            </option>
          ))}
      </select>
    </label>
  );
}

function IssuerBinding() {
  const { t } = useTranslation();
  const issuers = useRegistryList('issuers');
  return (
    <label>
      {t('admin.field.issuerId')}
      <select aria-label={t('admin.field.issuerId')} name="issuerId" required defaultValue="">
        <option value="">{t('admin.choose')}</option>
        {issuers.data
          ?.filter((i) => i.active)
          .map((issuer) => (
            <option key={issuer.id} value={issuer.id}>
              {issuer.name}
            </option>
          ))}
      </select>
    </label>
  );
}

/** The field for the role's scope; each list is read only when its role is chosen. */
function Binding({ role }: { role: Role }) {
  const { t } = useTranslation();
  switch (bindingOf(role)) {
    case 'marketId':
      return <MarketSelect />;
    case 'stallId':
      return <StallBinding />;
    case 'issuerId':
      return <IssuerBinding />;
    case 'regionPrefix':
      return (
        <label>
          {t('admin.field.regionPrefix')}
          <input name="regionPrefix" required inputMode="numeric" pattern="\d{2}|\d{4}|\d{6}" maxLength={6} />
        </label>
      );
    default:
      return null;
  }
}

/** Adds a login with its role and the market, stall, producer or region it works for. */
export function UserForm({ user, onDone }: { user: User; onDone?: (created: UserView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const roles = user.role === 'admin' ? allRoles : marketAdminRoles;
  const [role, setRole] = useState<Role>(roles.includes('gate_staff') ? 'gate_staff' : roles[0]!);
  const form = useRef<HTMLFormElement>(null);
  const write = useRegistryWrite(
    (body: UserInput) => api.registry.createUser(body),
    (created) => {
      form.current?.reset();
      onDone?.(created);
    },
  );
  const optionalId = (text: string) => (text ? Number(text) : null);
  return (
    <form
      ref={form}
      className="card admin-form"
      aria-label={t('admin.user.create')}
      onSubmit={(event) => {
        const field = fieldsOf(event);
        write.run({
          username: field('username'),
          displayName: field('displayName'),
          password: field('password'),
          role,
          marketId: optionalId(field('marketId')),
          stallId: optionalId(field('stallId')),
          issuerId: optionalId(field('issuerId')),
          regionPrefix: field('regionPrefix') || null,
        });
      }}
    >
      <h2>{t('admin.user.create')}</h2>
      <label>
        {t('admin.field.username')}
        <input
          name="username"
          required
          pattern="[a-z0-9_.\-]{3,32}"
          autoComplete="off"
          autoCapitalize="none"
        />
      </label>
      <label>
        {t('admin.field.displayName')}
        <input name="displayName" required maxLength={40} autoComplete="off" />
      </label>
      <label>
        {t('admin.field.password')}
        <input
          name="password"
          type="password"
          required
          minLength={10}
          maxLength={256}
          autoComplete="new-password"
        />
      </label>
      <label>
        {t('admin.field.role')}
        <select
          aria-label={t('admin.field.role')}
          name="role"
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`admin.role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <Binding role={role} />
      <Problem text={write.problem} />
      <button type="submit" className="primary" disabled={write.busy}>
        {t('admin.create')}
      </button>
    </form>
  );
}

function UserItem({ row, self }: { row: UserView; self: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const marketName = useMarketNames();
  const scope = row.marketId ? marketName(row.marketId) : (row.regionPrefix ?? '');
  return (
    <li className={row.active ? undefined : 'inactive'}>
      <span className="admin-name">
        {row.displayName} ({row.username})
      </span>
      <span className="hint">
        {t(`admin.role.${row.role}`)}
        {scope && ` · ${scope}`}
        {!row.active && ` · ${t('admin.inactive')}`}
      </span>
      <RegistryRowActions
        editLabel={`${t('admin.user.edit')} ${row.username}`}
        active={row.active}
        read={(field) => {
          const password = field('password');
          return { displayName: field('displayName'), ...(password ? { password } : {}) };
        }}
        update={(body) => api.registry.updateUser(row.id, body)}
        // nobody deactivates their own login
        deactivate={self ? undefined : () => api.registry.deactivateUser(row.id)}
        fields={
          <>
            <label>
              {t('admin.field.displayName')}
              <input name="displayName" required maxLength={40} defaultValue={row.displayName} />
            </label>
            <label>
              {t('admin.field.newPassword')}
              <input
                name="password"
                type="password"
                minLength={10}
                maxLength={256}
                autoComplete="new-password"
              />
            </label>
          </>
        }
      />
    </li>
  );
}

/** Users the caller may manage: everyone for an admin, their market's gate staff and vendors for a market admin. */
export function UsersSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const users = useRegistryList('users');
  return (
    <section className="admin-section">
      <UserForm user={user} />
      <RegistryListCard
        title={t('admin.user.list')}
        showEmpty={false}
        rows={users.data}
        error={users.error}
        rowKey={(row) => row.id}
        row={(row) => <UserItem row={row} self={row.id === user.userId} />}
      />
    </section>
  );
}
