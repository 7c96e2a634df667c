// `/doctor/patients?q=`: the patients the doctor has seen or will see.
import { useTranslation } from 'react-i18next';
import { PatientList } from '../../features/patients/PatientList';
import { PageTitle } from '../../ui';
import { DoctorNav } from './DoctorNav';

export function DoctorPatients() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('doctorArea.patients')}>{t('doctorArea.patients')}</PageTitle>
      <DoctorNav />
      <PatientList linkTo={(id) => `/doctor/patients/${id}`} />
    </>
  );
}
