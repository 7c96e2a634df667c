import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

const link = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-1 text-sm font-medium ${isActive ? 'bg-teal-700 text-white' : 'text-slate-800 hover:bg-slate-100'}`;

/** The doctor area's own menu, above each of its screens. */
export function DoctorNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('doctorArea.nav')} className="mb-4 flex flex-wrap gap-1 border-b border-slate-200 pb-2">
      <NavLink to="/doctor" end className={link}>
        {t('doctorArea.calendar')}
      </NavLink>
      {(['schedule', 'patients', 'reviews', 'reports'] as const).map((s) => (
        <NavLink key={s} to={`/doctor/${s}`} className={link}>
          {t(`doctorArea.${s}`)}
        </NavLink>
      ))}
    </nav>
  );
}
