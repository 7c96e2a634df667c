// `/doctor?date=YYYY-MM-DD&view=day|week`: the doctor's appointments on the
// doctor's own clock. The URL holds the day and the view, so a reload or a
// bookmark opens the same page; the notification stream (NotificationBadge)
// refreshes the `appointments` queries when a patient books or cancels.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { q } from '../../api/queries';
import type { Appointment, DoctorDetail } from '../../api/types';
import { Agenda } from '../../features/calendar/Agenda';
import { AppointmentPanel } from '../../features/calendar/AppointmentPanel';
import { isView, step, validDay, visibleDays, type View } from '../../features/calendar/agenda';
import { wallClockOf } from '../../features/calendar/wallClock';
import { browserZone, todayIn, zoneLabel, zonesDiffer } from '../../lib/time';
import { Button, PageTitle, QueryState } from '../../ui';
import { DoctorNav } from './DoctorNav';

export function DoctorCalendar() {
  const { t } = useTranslation();
  const me = useQuery(q.doctorMe());
  return (
    <>
      <PageTitle title={t('doctorArea.calendar')}>{t('doctorArea.calendar')}</PageTitle>
      <DoctorNav />
      <QueryState query={me}>{(doctor) => <Calendar doctor={doctor} />}</QueryState>
    </>
  );
}

function Calendar({ doctor }: { doctor: DoctorDetail }) {
  const { t } = useTranslation();
  const zone = doctor.timezone;
  const today = todayIn(zone);
  const [params, setParams] = useSearchParams();
  const day = validDay(params.get('date')) ?? today;
  const rawView = params.get('view');
  const view: View = isView(rawView) ? rawView : 'week';
  const days = visibleDays(day, view);
  const list = useQuery(q.doctorAppointments(days[0], days[days.length - 1]));
  const schedules = useQuery(q.schedules(doctor.id));
  const clock = wallClockOf(schedules.data ?? []);
  const [open, setOpen] = useState<Appointment | null>(null);
  const patientIds = [...new Set((list.data ?? []).map((a) => a.patient_id))];
  const patients = useQueries({ queries: patientIds.map((id) => q.patientById(id)) });
  const names = new Map(patients.flatMap((p) => (p.data ? [[p.data.id, p.data.name] as const] : [])));
  const go = (next: { date?: string; view?: View }) =>
    setParams({ date: next.date ?? day, view: next.view ?? view });
  const pending = (list.data ?? []).filter((a) => a.status === 'pending').length;

  return (
    <>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <Button variant="secondary" onClick={() => go({ date: step(day, view, -1) })} aria-label={t(`calendar.previous.${view}`)}>
          <span aria-hidden="true" className="inline-block rtl:rotate-180">‹</span>
        </Button>
        <Button variant="secondary" onClick={() => go({ date: today })}>
          {t('calendar.today')}
        </Button>
        <Button variant="secondary" onClick={() => go({ date: step(day, view, 1) })} aria-label={t(`calendar.next.${view}`)}>
          <span aria-hidden="true" className="inline-block rtl:rotate-180">›</span>
        </Button>
        <div role="group" aria-label={t('calendar.view')} className="flex gap-1">
          {(['day', 'week'] as const).map((v) => (
            <Button key={v} variant={v === view ? 'primary' : 'secondary'} aria-pressed={v === view} onClick={() => go({ view: v })}>
              {t(`calendar.views.${v}`)}
            </Button>
          ))}
        </div>
        <label className="flex items-center gap-2 text-sm">
          {t('calendar.goTo')}
          <input
            type="date"
            value={day}
            onChange={(e) => validDay(e.target.value) && go({ date: e.target.value })}
            className="rounded-lg border border-slate-400 px-2 py-1"
          />
        </label>
      </div>
      <p className="mb-3 text-sm text-slate-700" aria-live="polite">
        {zonesDiffer(zone, browserZone())
          ? t('calendar.zoneDiffers', { zone: zoneLabel(zone) })
          : t('calendar.zone', { zone: zoneLabel(zone) })}{' '}
        {list.data && t('calendar.pendingCount', { count: pending })}
      </p>
      <QueryState query={list}>
        {(rows) => <Agenda days={days} appointments={rows} zone={zone} clock={clock} names={names} today={today} onOpen={setOpen} />}
      </QueryState>
      {open && <AppointmentPanel key={open.id} appointment={open} zone={zone} clock={clock} onClose={() => setOpen(null)} />}
    </>
  );
}
