import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { AdminScreen, adminRoles } from './admin/admin-screen.tsx';
import { useApi } from './api/api-context.tsx';
import type { GateFeed } from './gate/gate-feed.ts';
import { GateScreen } from './gate/gate-screen.tsx';
import { otherLanguage } from './i18n/i18n.ts';
import { ProducerScreen } from './producer/producer-screen.tsx';
import { PurchaseLedgerScreen } from './purchase-ledger/purchase-ledger-screen.tsx';
import { RapidTestScreen } from './rapid-test/rapid-test-screen.tsx';
import { RegulatorScreen } from './regulator/regulator-screen.tsx';
import type { ViolationFeed } from './regulator/violation-feed.ts';
import { NotFoundPage } from './session/access-pages.tsx';
import { homeOf, LoginPage, RequireUser, useUser } from './session/session.tsx';
import { StallScreen } from './stall/stall-screen.tsx';
import { VerifyPage } from './verify/verify-page.tsx';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <button
      type="button"
      className="language"
      onClick={() => void i18n.changeLanguage(otherLanguage(i18n.language))}
    >
      {t('app.language')}
    </button>
  );
}

function TopBar() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const queries = useQueryClient();
  const navigate = useNavigate();
  return (
    <header className="top">
      <strong>{t('app.title')}</strong>
      <nav>
        {user.data && (user.data.role === 'gate_staff' || user.data.role === 'market_admin') && (
          <NavLink to="/gate">{t('nav.gate')}</NavLink>
        )}
        {user.data?.role === 'vendor' && <NavLink to="/stall">{t('nav.stall')}</NavLink>}
        {user.data?.role === 'producer' && <NavLink to="/producer">{t('nav.producer')}</NavLink>}
        {user.data && (user.data.role === 'regulator' || user.data.role === 'admin') && (
          <NavLink to="/regulator">{t('nav.regulator')}</NavLink>
        )}
        {user.data && (user.data.role === 'gate_staff' || user.data.role === 'market_admin') && (
          <NavLink to="/rapid-tests">{t('nav.rapid')}</NavLink>
        )}
        {user.data &&
          (user.data.role === 'gate_staff' ||
            user.data.role === 'market_admin' ||
            user.data.role === 'vendor') && <NavLink to="/ledger">{t('nav.ledger')}</NavLink>}
        {user.data && adminRoles.some((role) => role === user.data?.role) && (
          <NavLink to="/admin">{t('nav.admin')}</NavLink>
        )}
        <NavLink to="/verify">{t('nav.verify')}</NavLink>
      </nav>
      <span className="who">{user.data?.username}</span>
      <LanguageSwitch />
      {user.data && (
        <button
          type="button"
          onClick={async () => {
            await api.logout();
            queries.setQueryData(['me'], null);
            navigate('/login');
          }}
        >
          {t('app.logout')}
        </button>
      )}
    </header>
  );
}

function Home() {
  const user = useUser();
  if (user.isPending) return null;
  return <Navigate to={user.data ? homeOf(user.data) : '/login'} replace />;
}

/** The live edges, injected so tests and the browser can differ only there. */
export interface Feeds {
  gate: GateFeed;
  violations: ViolationFeed;
}

export function App({ feeds }: { feeds: Feeds }) {
  return (
    <>
      <TopBar />
      <main>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/login" element={<LoginPage />} />
          <Route
            path="/gate"
            element={
              <RequireUser roles={['gate_staff', 'market_admin']}>
                {(user) => <GateScreen user={user} feed={feeds.gate} />}
              </RequireUser>
            }
          />
          <Route
            path="/stall"
            element={<RequireUser roles={['vendor']}>{() => <StallScreen />}</RequireUser>}
          />
          <Route
            path="/producer"
            element={
              <RequireUser roles={['producer']}>{(user) => <ProducerScreen user={user} />}</RequireUser>
            }
          />
          <Route
            path="/regulator/*"
            element={
              <RequireUser roles={['regulator', 'admin']}>
                {() => <RegulatorScreen feed={feeds.violations} />}
              </RequireUser>
            }
          />
          <Route
            path="/rapid-tests"
            element={<RequireUser>{(user) => <RapidTestScreen user={user} />}</RequireUser>}
          />
          <Route
            path="/ledger"
            element={<RequireUser>{(user) => <PurchaseLedgerScreen user={user} />}</RequireUser>}
          />
          <Route
            path="/admin/*"
            element={<RequireUser roles={adminRoles}>{(user) => <AdminScreen user={user} />}</RequireUser>}
          />
          <Route path="/verify/*" element={<VerifyPage />} />
          <Route path="/verify" element={<VerifyPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </>
  );
}
