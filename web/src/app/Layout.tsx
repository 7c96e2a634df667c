import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { LANGUAGES, isLanguage, setLanguage } from '../i18n';
import { useSession } from '../session/SessionContext';
import { Spinner } from '../ui/Spinner';
import { classes } from '../ui/Button';
import { NotificationBadge } from './NotificationBadge';
import { useLanguageFromAccount } from './useLanguageFromAccount';
import { useOnline } from './useOnline';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-2 py-1 text-sm font-medium ${isActive ? 'bg-teal-100 text-teal-950' : 'text-slate-800 hover:bg-slate-100'}`;

export function Layout() {
  const { t, i18n } = useTranslation();
  const { user, signOut, offline } = useSession();
  const online = useOnline();
  const navigate = useNavigate();
  useLanguageFromAccount();

  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t('nav.skip')}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link to="/" className="text-lg font-bold text-teal-800">
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.main')} className="flex flex-wrap items-center gap-1">
            <NavLink to="/doctors" className={navClass}>
              {t('nav.doctors')}
            </NavLink>
            {user?.role === 'patient' && (
              <NavLink to="/appointments" className={navClass}>
                {t('nav.appointments')}
              </NavLink>
            )}
            {user?.role === 'doctor' && (
              <NavLink to="/doctor" className={navClass}>
                {t('nav.doctorArea')}
              </NavLink>
            )}
            {user?.role === 'admin' && (
              <NavLink to="/admin" className={navClass}>
                {t('nav.adminArea')}
              </NavLink>
            )}
            {user && <NotificationBadge />}
            {user && (
              <NavLink to="/profile" className={navClass}>
                {t('nav.profile')}
              </NavLink>
            )}
          </nav>
          <div className="ms-auto flex flex-wrap items-center justify-end gap-2">
            <label htmlFor="language" className="sr-only">
              {t('nav.language')}
            </label>
            <select
              id="language"
              value={i18n.language}
              onChange={(e) => isLanguage(e.target.value) && setLanguage(e.target.value)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
            {user ? (
              <button
                type="button"
                className={classes('secondary')}
                onClick={() => void signOut().then(() => navigate('/'))}
              >
                {t('nav.logout')}
              </button>
            ) : (
              <>
                <Link to="/login" className={classes("ghost", "whitespace-nowrap")}>
                  {t('nav.login')}
                </Link>
                <Link to="/register" className={classes("primary", "whitespace-nowrap")}>
                  {t('nav.register')}
                </Link>
              </>
            )}
          </div>
        </div>
        {(!online || offline) && (
          <p role="status" className="bg-amber-100 px-4 py-1 text-center text-sm text-amber-950">
            {t('error.offlineBanner')}
          </p>
        )}
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="border-t border-slate-200 bg-white px-4 py-3 text-center text-sm text-slate-700">
        <a href="/api/docs" className="underline">
          {t('nav.apiDocs')}
        </a>
      </footer>
    </div>
  );
}
