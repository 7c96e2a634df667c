import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext';
import { PageTitle } from '../../ui';

export function DoctorHome() {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <>
      <PageTitle title={t('nav.doctorArea')}>{t('area.welcome', { name: user?.name ?? '' })}</PageTitle>
      <p className="text-slate-700">{t('area.doctorSoon')}</p>
    </>
  );
}
