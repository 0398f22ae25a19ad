import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import type { User } from '../api/api.ts';
import { NotFoundPage } from '../session/access-pages.tsx';

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
export const adminSections: AdminSection[] = [];

const sectionsOf = (user: User) => adminSections.filter((section) => section.roles.includes(user.role));

/** The /admin/* shell: the section nav and the section under it; /admin opens the first section the role sees. */
export function AdminScreen({ user }: { user: User }) {
  const { t } = useTranslation();
  const sections = sectionsOf(user);
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
