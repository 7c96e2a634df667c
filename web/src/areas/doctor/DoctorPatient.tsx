// `/doctor/patients/:id`: a patient the doctor has a care relationship
// with, their record and medical history (entries can be added). Anyone
// else is "not found", as the API answers.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { q } from '../../api/queries';
import { MedicalHistory } from '../../features/history/MedicalHistory';
import { browserZone } from '../../lib/time';
import { PageTitle, QueryState, SectionCard } from '../../ui';
import { NotFound } from '../public/NotFound';
import { DoctorNav } from './DoctorNav';

export function DoctorPatient() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const patient = useQuery({ ...q.patientById(id), enabled: valid });
  if (!valid || (patient.error instanceof ApiError && patient.error.status === 404)) return <NotFound />;
  return (
    <QueryState query={patient}>
      {(p) => (
        <>
          <PageTitle title={p.name}>{p.name}</PageTitle>
          <DoctorNav />
          <div className="grid gap-4 lg:grid-cols-2">
            <SectionCard id="record" title={t('profile.record')}>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="font-medium">{t('field.birthDate')}</dt>
                <dd>
                  {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${p.birth_date}T12:00:00Z`))}
                </dd>
                <dt className="font-medium">{t('field.gender')}</dt>
                <dd>{p.gender === 'female' ? t('field.female') : p.gender === 'male' ? t('field.male') : p.gender}</dd>
                <dt className="font-medium">{t('field.phone')}</dt>
                <dd dir="ltr" className="text-start">
                  {p.phone}
                </dd>
                <dt className="font-medium">{t('field.email')}</dt>
                <dd className="break-all">{p.email}</dd>
              </dl>
            </SectionCard>
            <SectionCard id="history" title={t('profile.history')}>
              <MedicalHistory patientId={p.id} zone={browserZone()} />
            </SectionCard>
          </div>
        </>
      )}
    </QueryState>
  );
}
