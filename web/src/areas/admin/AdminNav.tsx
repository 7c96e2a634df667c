import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { PageTitle } from '../../ui';

const link = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-1 text-sm font-medium ${isActive ? 'bg-teal-700 text-white' : 'text-slate-800 hover:bg-slate-100'}`;

export const ADMIN_SCREENS = [
  'applications',
  'moderation',
  'doctors',
  'patients',
  'users',
  'specialties',
  'deliveries',
  'templates',
  'reports',
] as const;

/** The admin area's own menu, above each of its screens. */
export function AdminNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('admin.nav')} className="mb-4 flex flex-wrap gap-1 border-b border-slate-200 pb-2">
      <NavLink to="/admin" end className={link}>
        {t('admin.dashboard')}
      </NavLink>
      {ADMIN_SCREENS.map((s) => (
        <NavLink key={s} to={`/admin/${s}`} className={link}>
          {t(`admin.screens.${s}`)}
        </NavLink>
      ))}
    </nav>
  );
}

/** The heading and menu every admin screen starts with. */
export function AdminPage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <AdminNav />
      {children}
    </>
  );
}
