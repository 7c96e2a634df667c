// `/admin/patients?q=`: every patient, searchable.
import { useTranslation } from 'react-i18next';
import { PatientList } from '../../features/patients/PatientList';
import { AdminPage } from './AdminNav';

export function AdminPatients() {
  const { t } = useTranslation();
  return (
    <AdminPage title={t('admin.screens.patients')}>
      <PatientList />
    </AdminPage>
  );
}
