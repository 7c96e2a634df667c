import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext';
import { PageTitle } from '../../ui';
import { AccessLogSection } from './profile/AccessLogSection';
import { AccountSection } from './profile/AccountSection';
import { AvatarSection } from './profile/AvatarSection';
import { HistorySection } from './profile/HistorySection';
import { InsuranceSection } from './profile/InsuranceSection';
import { NotificationPrefsSection } from './profile/NotificationPrefsSection';
import { PasswordSection } from './profile/PasswordSection';
import { PreferencesSection } from './profile/PreferencesSection';
import { RecordSection } from './profile/RecordSection';

export function Profile() {
  const { t } = useTranslation();
  const { user } = useSession();
  const patient = user?.role === 'patient';
  return (
    <>
      <PageTitle title={t('profile.title')}>{t('profile.title')}</PageTitle>
      <div className="grid gap-4 lg:grid-cols-2">
        <AccountSection />
        <AvatarSection />
        <PasswordSection />
        {patient && <PreferencesSection />}
        {patient && <RecordSection />}
        {patient && <InsuranceSection />}
        <NotificationPrefsSection />
        {patient && <HistorySection />}
        {patient && <AccessLogSection />}
      </div>
    </>
  );
}
