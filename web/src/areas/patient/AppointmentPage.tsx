import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import { policy, q } from '../../api/queries';
import type { Appointment } from '../../api/types';
import { CancelDialog } from '../../features/appointments/CancelDialog';
import { RateForm } from '../../features/appointments/RateForm';
import { RescheduleDialog } from '../../features/appointments/RescheduleDialog';
import { StatusBadge } from '../../features/appointments/StatusBadge';
import { canRate, cutOff, isUpcoming } from '../../features/appointments/status';
import { formatDate, formatDateTime, formatTime, zoneLabel, zonesDiffer } from '../../lib/time';
import { useViewerZone } from '../../lib/useZone';
import { Alert, Button, Card, PageTitle, ProblemAlert, QueryState } from '../../ui';
import { NotFound } from '../public/NotFound';

export function AppointmentPage() {
  const id = Number(useParams().id);
  const a = useQuery({ ...q.appointment(id), enabled: Number.isInteger(id) && id > 0 });
  if (!Number.isInteger(id) || (a.error instanceof ApiError && a.error.status === 404)) return <NotFound />;
  return <QueryState query={a}>{(appt) => <Details a={appt} />}</QueryState>;
}

async function downloadPdf(id: number): Promise<void> {
  const res = await api<Response>('GET', `/api/v1/appointments/${id}/pdf`, { asResponse: true });
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `appointment-${id}.pdf`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Details({ a }: { a: Appointment }) {
  const { t, i18n } = useTranslation();
  const zone = useViewerZone();
  const doctor = useQuery(q.doctor(a.doctor_id));
  const rules = useQuery(policy());
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | null>(null);
  const pdf = useMutation({ mutationFn: () => downloadPdf(a.id) });
  const lang = i18n.language;
  const title = `${formatDate(a.start_at, zone, lang)}, ${formatTime(a.start_at, zone, lang)}`;
  const d = doctor.data;
  const minutes = rules.data?.cancellation_deadline_minutes;
  const until = minutes !== undefined ? cutOff(a, minutes) : null;
  const closed = until !== null && until.getTime() <= Date.now();
  const deadline = minutes !== undefined ? t('appointment.deadline', { count: Math.round(minutes / 60) }) : '';

  return (
    <>
      <p className="mb-2">
        <Link to="/appointments" className="text-sm underline">
          {t('appointment.back')}
        </Link>
      </p>
      <PageTitle title={t('appointment.title')}>{title}</PageTitle>
      <Card className="mb-4 space-y-2">
        <p>
          <StatusBadge status={a.status} />
        </p>
        {d && (
          <p>
            <Link to={`/doctors/${d.id}`} className="font-semibold text-teal-900 underline">
              {d.name}
            </Link>{' '}
            · {d.specialty.name}
          </p>
        )}
        {d && zonesDiffer(zone, d.timezone) && (
          <p className="text-sm text-slate-700">
            {t('booking.doctorTime', { time: formatTime(a.start_at, d.timezone, lang), zone: zoneLabel(d.timezone) })}
          </p>
        )}
        <p>
          <span className="font-medium">{t('booking.reason')}:</span> {a.reason}
        </p>
        {a.cancel_reason && (
          <p>
            <span className="font-medium">{t('appointment.cancelledBecause')}:</span> {a.cancel_reason}
          </p>
        )}
        {a.doctor_comment && (
          <p>
            <span className="font-medium">{t('appointment.doctorComment')}:</span> {a.doctor_comment}
          </p>
        )}
      </Card>
      {isUpcoming(a) && until && (
        <Card className="mb-4 space-y-3">
          <h2 className="text-lg font-semibold">{t('appointment.change')}</h2>
          <Alert tone={closed ? 'warning' : 'info'}>
            {closed
              ? t('appointment.cutOffPassed', { when: formatDateTime(until.toISOString(), zone, lang), deadline })
              : t('appointment.cutOffOpen', { when: formatDateTime(until.toISOString(), zone, lang), deadline })}
          </Alert>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" onClick={() => setDialog('cancel')}>
              {t('appointment.cancel')}
            </Button>
            {d && (
              <Button variant="secondary" onClick={() => setDialog('reschedule')}>
                {t('appointment.reschedule')}
              </Button>
            )}
          </div>
        </Card>
      )}
      <Card className="mb-4">
        <Button variant="secondary" onClick={() => pdf.mutate()} disabled={pdf.isPending}>
          {t('appointment.pdf')}
        </Button>
        <ProblemAlert error={pdf.error} />
      </Card>
      {canRate(a) && (
        <Card className="mb-4">
          <h2 className="mb-2 text-lg font-semibold">{t('rate.title')}</h2>
          <RateForm doctorId={a.doctor_id} />
        </Card>
      )}
      <CancelDialog appointment={a} isOpen={dialog === 'cancel'} onClose={() => setDialog(null)} />
      {d && <RescheduleDialog appointment={a} doctor={d} zone={zone} isOpen={dialog === 'reschedule'} onClose={() => setDialog(null)} />}
    </>
  );
}
