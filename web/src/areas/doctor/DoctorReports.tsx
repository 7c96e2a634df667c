// `/doctor/reports`: the doctor's own appointment and travel-time reports.
import { useTranslation } from 'react-i18next';
import { ReportsPanel } from '../../features/reports/ReportsPanel';
import { PageTitle } from '../../ui';
import { DoctorNav } from './DoctorNav';

export function DoctorReports() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('doctorArea.reports')}>{t('doctorArea.reports')}</PageTitle>
      <DoctorNav />
      <ReportsPanel chooseDoctor={false} />
    </>
  );
}
