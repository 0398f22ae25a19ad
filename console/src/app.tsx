import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
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

/** The pages a role's top bar links to, in the bar's order. */
function navLinks(role: string | undefined): { to: string; word: string }[] {
  const gateSide = role === 'gate_staff' || role === 'market_admin';
  return [
    ...(gateSide ? [{ to: '/gate', word: 'nav.gate' }] : []),
    ...(role === 'vendor' ? [{ to: '/stall', word: 'nav.stall' }] : []),
    ...(role === 'producer' ? [{ to: '/producer', word: 'nav.producer' }] : []),
    ...(role === 'regulator' || role === 'admin' ? [{ to: '/regulator', word: 'nav.regulator' }] : []),
    ...(gateSide ? [{ to: '/rapid-tests', word: 'nav.rapid' }] : []),
    ...(gateSide || role === 'vendor' ? [{ to: '/ledger', word: 'nav.ledger' }] : []),
    ...(adminRoles.some((admin) => admin === role) ? [{ to: '/admin', word: 'nav.admin' }] : []),
    { to: '/verify', word: 'nav.verify' },
  ];
}

/**
 * The bar on every page: one row at any width. On a phone (≤ 600 px) the links fold behind a 菜单 button that opens
 * them as a list (aria-expanded; Escape closes it and gives the focus back); NavLink marks the current page with
 * aria-current="page". On wider screens the button is hidden and the links sit in the bar.
 */
function TopBar() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  // Following a link (or any other move) folds the menu away again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the path is the trigger, not a value read
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('keydown', closeOnEscape);
    return () => document.removeEventListener('keydown', closeOnEscape);
  }, [open]);
  return (
    <header className="top">
      <strong>{t('app.title')}</strong>
      <button
        ref={toggle}
        type="button"
        className="menu-toggle"
        aria-expanded={open}
        aria-controls="top-nav"
        onClick={() => setOpen((shown) => !shown)}
      >
        {t('app.menu')}
      </button>
      <nav id="top-nav" aria-label={t('app.nav')} className={open ? 'open' : undefined}>
        <ul>
          {navLinks(user.data?.role).map((link) => (
            <li key={link.to}>
              <NavLink to={link.to} onClick={() => setOpen(false)}>
                {t(link.word)}
              </NavLink>
            </li>
          ))}
        </ul>
        {user.data && <p className="who-in-menu">{user.data.username}</p>}
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
