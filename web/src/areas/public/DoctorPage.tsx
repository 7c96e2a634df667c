import { CalendarDate, endOfMonth, parseDate, today } from '@internationalized/date';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { q } from '../../api/queries';
import type { DoctorDetail, FreeSlot } from '../../api/types';
import { BookDialog } from '../../features/booking/BookDialog';
import { SlotCalendar } from '../../features/booking/SlotCalendar';
import { Avatar } from '../../features/doctors/DoctorCard';
import { RatingsPanel } from '../../features/doctors/RatingsPanel';
import { useViewerZone } from '../../lib/useZone';
import { useSession } from '../../session/SessionContext';
import { Alert, Card, PageTitle, QueryState } from '../../ui';
import { NotFound } from './NotFound';
import { ApiError } from '../../api/problem';

export function DoctorPage() {
  const { id } = useParams();
  const doctorId = Number(id);
  const doctor = useQuery({ ...q.doctor(doctorId), enabled: Number.isInteger(doctorId) && doctorId > 0 });
  if (!Number.isInteger(doctorId) || (doctor.error instanceof ApiError && doctor.error.status === 404)) return <NotFound />;
  return <QueryState query={doctor}>{(d) => <Profile doctor={d} />}</QueryState>;
}

/** `slot=<schedule_id>:<date>` in the URL keeps a chosen slot across a login. */
function parseSlot(v: string | null): { scheduleId: number; date: string } | null {
  const m = v?.match(/^(\d+):(\d{4}-\d{2}-\d{2})$/);
  return m ? { scheduleId: Number(m[1]), date: m[2] } : null;
}

function Profile({ doctor }: { doctor: DoctorDetail }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();
  const viewerZone = useViewerZone();
  const [params, setParams] = useSearchParams();
  const wanted = parseSlot(params.get('slot'));
  const minDate = today(viewerZone);
  const [month, setMonth] = useState<CalendarDate>(() => (wanted ? parseDate(wanted.date) : minDate).set({ day: 1 }));
  const [day, setDay] = useState<CalendarDate | null>(() => (wanted ? parseDate(wanted.date) : null));
  const from = month.compare(minDate) < 0 ? minDate : month;
  const to = endOfMonth(month);
  const availability = useQuery(q.availability(doctor.id, from.toString(), to.toString()));
  const slots = availability.data ?? [];
  const found = wanted && user?.role === 'patient'
    ? (slots.find((s) => s.schedule_id === wanted.scheduleId && s.date === wanted.date) ?? null)
    : null;
  // Held once found: after booking, the slot leaves the free list while the
  // dialog still shows the confirmation.
  const [chosen, setChosen] = useState<FreeSlot | null>(null);
  useEffect(() => {
    if (found && !chosen) setChosen(found);
  }, [found, chosen]);

  function pick(s: FreeSlot) {
    const slot = `${s.schedule_id}:${s.date}`;
    if (!user) {
      navigate(`/login?next=${encodeURIComponent(`/doctors/${doctor.id}?slot=${slot}`)}`);
      return;
    }
    setParams({ slot }, { replace: true });
  }

  return (
    <>
      <div className="mb-6 flex flex-wrap items-start gap-4">
        <Avatar url={doctor.img_url} name={doctor.name} size="h-20 w-20" />
        <div className="min-w-0 flex-1">
          <PageTitle title={doctor.name}>{doctor.name}</PageTitle>
          <p className="text-slate-800">
            {doctor.specialty.name} · {doctor.degree}
            {doctor.city ? ` · ${doctor.city}` : ''}
          </p>
          {doctor.languages.length > 0 && (
            <p className="text-sm text-slate-700">{t('doctor.languages', { list: doctor.languages.join(', ') })}</p>
          )}
        </div>
      </div>
      {doctor.bio && <p className="mb-6 max-w-prose whitespace-pre-line">{doctor.bio}</p>}
      <Card className="mb-6">
        <h2 className="mb-3 text-xl font-semibold">{t('booking.heading')}</h2>
        {doctor.status !== 'active' && <Alert tone="warning">{t('doctor.inactive')}</Alert>}
        {user && user.role !== 'patient' && <Alert tone="info">{t('booking.patientsOnly')}</Alert>}
        {availability.error ? <Alert tone="error">{t('error.generic')}</Alert> : null}
        <SlotCalendar
          slots={slots}
          doctorName={doctor.name}
          doctorZone={doctor.timezone}
          viewerZone={viewerZone}
          month={month}
          onMonthChange={setMonth}
          day={day}
          onDayChange={setDay}
          onPick={pick}
          minDate={minDate}
        />
      </Card>
      <RatingsPanel doctorId={doctor.id} />
      <BookDialog
        slot={chosen}
        doctorName={doctor.name}
        viewerZone={viewerZone}
        onClose={() => {
          setChosen(null);
          setParams({}, { replace: true });
        }}
      />
    </>
  );
}
