// `/doctor/schedule`: the doctor's weekly and one-off slots, a form to add
// one, and a preview of the coming week as patients will see it.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../api/queries';
import type { DoctorDetail } from '../../api/types';
import { SlotForm } from '../../features/schedule/SlotForm';
import { SlotList } from '../../features/schedule/SlotList';
import { WeekPreview } from '../../features/schedule/WeekPreview';
import { zoneLabel } from '../../lib/time';
import { PageTitle, QueryState, SectionCard } from '../../ui';
import { DoctorNav } from './DoctorNav';

export function DoctorSchedule() {
  const { t } = useTranslation();
  const me = useQuery(q.doctorMe());
  return (
    <>
      <PageTitle title={t('doctorArea.schedule')}>{t('doctorArea.schedule')}</PageTitle>
      <DoctorNav />
      <QueryState query={me}>{(doctor) => <Editor doctor={doctor} />}</QueryState>
    </>
  );
}

function Editor({ doctor }: { doctor: DoctorDetail }) {
  const { t } = useTranslation();
  const slots = useQuery(q.schedules(doctor.id));
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">{t('schedule.clock', { zone: zoneLabel(doctor.timezone) })}</p>
      <SectionCard id="add-slot" title={t('schedule.addTitle')}>
        <SlotForm />
      </SectionCard>
      <SectionCard id="slots" title={t('schedule.slots')}>
        <QueryState query={slots}>{(rows) => <SlotList slots={rows} />}</QueryState>
      </SectionCard>
      <SectionCard id="preview" title={t('schedule.preview')}>
        <WeekPreview doctorId={doctor.id} zone={doctor.timezone} />
      </SectionCard>
    </div>
  );
}
