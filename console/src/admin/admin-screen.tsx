import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import type { User } from '../api/api.ts';
import { NotFoundPage } from '../session/access-pages.tsx';
import { useRegistryList } from './admin-form.tsx';
import { DevicesSection } from './devices-section.tsx';
import { GatesSection } from './gates-section.tsx';
import { IssuerScreen } from './issuers/issuer-screen.tsx';
import { MarketsSection } from './markets-section.tsx';
import { ProductScreen } from './products/product-screen.tsx';
import { RegionsSection } from './regions-section.tsx';
import { RuleSetScreen } from './rule-sets/rule-set-screen.tsx';
import { SetupWizard } from './setup-wizard.tsx';
import { StallsSection } from './stalls-section.tsx';
import { UsersSection } from './users-section.tsx';
import { VendorsSection } from './vendors/vendors-section.tsx';
import './admin.css';

/**
 * One section of the admin screen: its address under /admin, its nav label and who sees it. The nav and the routes
 * are both built from `adminSections`, so a new section is one entry there.
 */
export interface AdminSection {
  /** the path under /admin, without a slash */
  path: string;
  /** the i18n key of its nav label */
  label: string;
  /** the roles that see it; the server still scopes every answer */
  roles: readonly User['role'][];
  screen: (user: User) => ReactNode;
}

/** The roles the admin screen is for: an admin everywhere, a market admin in their own market. */
export const adminRoles = ['admin', 'market_admin'] as const;

/** Every admin section, in nav order. Add a section here. */
export const adminSections: AdminSection[] = [
  { path: 'regions', label: 'admin.nav.regions', roles: ['admin'], screen: () => <RegionsSection /> },
  {
    path: 'markets',
    label: 'admin.nav.markets',
    roles: adminRoles,
    screen: (user) => <MarketsSection user={user} />,
  },
  { path: 'gates', label: 'admin.nav.gates', roles: adminRoles, screen: () => <GatesSection /> },
  { path: 'stalls', label: 'admin.nav.stalls', roles: adminRoles, screen: () => <StallsSection /> },
  { path: 'vendors', label: 'vendors.nav', roles: adminRoles, screen: () => <VendorsSection /> },
  {
    path: 'users',
    label: 'admin.nav.users',
    roles: adminRoles,
    screen: (user) => <UsersSection user={user} />,
  },
  { path: 'devices', label: 'admin.nav.devices', roles: adminRoles, screen: () => <DevicesSection /> },
  { path: 'issuers', label: 'catalogue.nav.issuers', roles: ['admin'], screen: () => <IssuerScreen /> },
  { path: 'products', label: 'catalogue.nav.products', roles: ['admin'], screen: () => <ProductScreen /> },
  { path: 'rule-sets', label: 'catalogue.nav.ruleSets', roles: ['admin'], screen: () => <RuleSetScreen /> },
  { path: 'setup', label: 'admin.nav.setup', roles: ['admin'], screen: () => <SetupWizard /> },
];

const sectionsOf = (user: User) => adminSections.filter((section) => section.roles.includes(user.role));

/**
 * The /admin/* shell: the section nav and the section under it; /admin opens the first section the role sees. On a
 * database without markets an admin is led to the setup wizard, wherever under /admin they arrive.
 */
export function AdminScreen({ user }: { user: User }) {
  const { t } = useTranslation();
  const markets = useRegistryList('markets');
  const { pathname } = useLocation();
  const sections = sectionsOf(user);
  if (user.role === 'admin' && markets.data?.length === 0 && !pathname.startsWith('/admin/setup'))
    return <Navigate to="/admin/setup" replace />;
  return (
    <div className="admin">
      <nav className="tabs admin-nav" aria-label={t('admin.sections')}>
        {sections.map((section) => (
          <NavLink key={section.path} to={`/admin/${section.path}`}>
            {t(section.label)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        {sections[0] && <Route index element={<Navigate to={sections[0].path} replace />} />}
        {sections.map((section) => (
          <Route key={section.path} path={`${section.path}/*`} element={section.screen(user)} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
