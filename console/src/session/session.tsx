import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { User } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { NoAccessPage } from './access-pages.tsx';

/** Where each role starts. */
export function homeOf(user: User): string {
  switch (user.role) {
    case 'gate_staff':
    case 'market_admin':
      return '/gate';
    case 'vendor':
      return '/stall';
    case 'producer':
      return '/producer';
    case 'admin':
      return '/admin';
    default:
      return '/regulator';
  }
}

/** The logged-in user, or null; a 401 is an answer (not logged in), not an error. */
export function useUser() {
  const api = useApi();
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const me = await api.me();
      return me.ok ? me.value : null;
    },
    staleTime: 60_000,
  });
}

/** A screen behind the login; `roles` limits it to the roles that can use it (others see the no-access page). */
export function RequireUser({
  children,
  roles,
}: {
  children: (user: User) => ReactNode;
  roles?: readonly User['role'][];
}) {
  const user = useUser();
  const location = useLocation();
  if (user.isPending) return null;
  if (!user.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (roles && !roles.includes(user.data.role)) return <NoAccessPage />;
  return <>{children(user.data)}</>;
}

export function LoginPage() {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [failed, setFailed] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await api.login(String(form.get('username')), String(form.get('password')));
    if (!result.ok) {
      setFailed(result.error.code === 'NETWORK' ? t('error.network') : t('login.failed'));
      return;
    }
    queries.setQueryData(['me'], result.value.user);
    const next = new URLSearchParams(location.search).get('next');
    navigate(next?.startsWith('/') ? next : homeOf(result.value.user), { replace: true });
  }

  return (
    <form className="card login" onSubmit={submit}>
      <h1>{t('login.title')}</h1>
      <label>
        {t('login.username')}
        <input name="username" autoComplete="username" required />
      </label>
      <label>
        {t('login.password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {failed && (
        <p className="problem" role="alert">
          {failed}
        </p>
      )}
      <button type="submit" className="big">
        {t('login.submit')}
      </button>
    </form>
  );
}
