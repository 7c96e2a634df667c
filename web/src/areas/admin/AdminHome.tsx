import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext';
import { PageTitle } from '../../ui';

export function AdminHome() {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <>
      <PageTitle title={t('nav.adminArea')}>{t('area.welcome', { name: user?.name ?? '' })}</PageTitle>
      <p className="text-slate-700">{t('area.adminSoon')}</p>
    </>
  );
}
