import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { q } from '../../api/queries';
import type { Appointment } from '../../api/types';
import { StatusBadge } from '../../features/appointments/StatusBadge';
import { isUpcoming } from '../../features/appointments/status';
import { formatDate, formatTime } from '../../lib/time';
import { useViewerZone } from '../../lib/useZone';
import { ButtonLink, Card, PageTitle, QueryState } from '../../ui';

function Row({ a, zone }: { a: Appointment; zone: string }) {
  const { t, i18n } = useTranslation();
  const doctor = useQuery(q.doctor(a.doctor_id));
  return (
    <li>
      <Card className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="font-semibold">
            <Link to={`/appointments/${a.id}`} className="text-teal-900 underline-offset-2 hover:underline">
              {formatDate(a.start_at, zone, i18n.language)}, {formatTime(a.start_at, zone, i18n.language)}
            </Link>
          </p>
          <p className="text-sm text-slate-700">
            {doctor.data ? `${doctor.data.name} · ${doctor.data.specialty.name}` : t('common.loading')}
          </p>
        </div>
        <StatusBadge status={a.status} />
      </Card>
    </li>
  );
}

export function Appointments() {
  const { t } = useTranslation();
  const zone = useViewerZone();
  const list = useQuery(q.appointments());
  return (
    <>
      <PageTitle title={t('appointments.title')}>{t('appointments.title')}</PageTitle>
      <QueryState query={list}>
        {(page) => {
          const upcoming = page.data.filter((a) => isUpcoming(a)).sort((a, b) => a.start_at.localeCompare(b.start_at));
          const past = page.data.filter((a) => !isUpcoming(a)).sort((a, b) => b.start_at.localeCompare(a.start_at));
          return (
            <div className="grid gap-6 lg:grid-cols-2">
              <section aria-labelledby="upcoming">
                <h2 id="upcoming" className="mb-3 text-xl font-semibold">
                  {t('appointments.upcoming')}
                </h2>
                {upcoming.length === 0 ? (
                  <div className="space-y-3">
                    <p className="text-slate-700">{t('appointments.noneUpcoming')}</p>
                    <ButtonLink to="/doctors">{t('appointments.find')}</ButtonLink>
                  </div>
                ) : (
                  <ul className="space-y-2">
                    {upcoming.map((a) => (
                      <Row key={a.id} a={a} zone={zone} />
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="past">
                <h2 id="past" className="mb-3 text-xl font-semibold">
                  {t('appointments.past')}
                </h2>
                {past.length === 0 ? (
                  <p className="text-slate-700">{t('appointments.nonePast')}</p>
                ) : (
                  <ul className="space-y-2">
                    {past.map((a) => (
                      <Row key={a.id} a={a} zone={zone} />
                    ))}
                  </ul>
                )}
              </section>
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
