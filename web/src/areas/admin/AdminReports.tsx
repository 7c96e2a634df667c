// `/admin/reports`: appointment and travel reports for any doctor or all.
import { useTranslation } from 'react-i18next';
import { ReportsPanel } from '../../features/reports/ReportsPanel';
import { AdminPage } from './AdminNav';

export function AdminReports() {
  const { t } = useTranslation();
  return (
    <AdminPage title={t('admin.screens.reports')}>
      <ReportsPanel chooseDoctor />
    </AdminPage>
  );
}
