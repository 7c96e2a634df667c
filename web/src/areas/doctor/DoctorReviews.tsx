// `/doctor/reviews`: what patients say (published ratings, their
// distribution and monthly trend) and the practice's metrics.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { q } from '../../api/queries';
import type { DoctorDetail } from '../../api/types';
import { formatMonth, formatShare } from '../../lib/numbers';
import { browserZone, formatDateTime } from '../../lib/time';
import { BarChart, PageTitle, QueryState, SectionCard, Stars, Stat } from '../../ui';
import { DoctorNav } from './DoctorNav';

interface Metrics {
  appointments_total: number;
  completed: number;
  cancelled: number;
  no_show: number;
  expired: number;
  no_show_rate: number;
  avg_rating: number;
  rating_count: number;
  avg_travel_minutes: number | null;
}

export function DoctorReviews() {
  const { t } = useTranslation();
  const me = useQuery(q.doctorMe());
  return (
    <>
      <PageTitle title={t('doctorArea.reviews')}>{t('doctorArea.reviews')}</PageTitle>
      <DoctorNav />
      <QueryState query={me}>{(d) => <Reviews doctor={d} />}</QueryState>
    </>
  );
}

function Reviews({ doctor }: { doctor: DoctorDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const metrics = useQuery({ queryKey: ['doctor', 'metrics', doctor.id], queryFn: () => get<Metrics>(`/api/v1/doctors/${doctor.id}/metrics`) });
  const summary = useQuery(q.ratingSummary(doctor.id));
  const months = useQuery({
    queryKey: ['ratings', 'analytics', doctor.id],
    queryFn: () => get<{ month: string; count: number; average: number }[]>('/api/v1/ratings/analytics', { doctor_id: doctor.id }),
  });
  const list = useQuery(q.ratings(doctor.id));
  return (
    <div className="space-y-4">
      <QueryState query={metrics}>
        {(m) => (
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Stat label={t('reviews.total')} value={m.appointments_total} />
            <Stat label={t('status.completed')} value={m.completed} />
            <Stat label={t('status.cancelled')} value={m.cancelled} />
            <div className="rounded-xl border border-slate-200 bg-white p-3">
              <dt className="text-sm text-slate-700">{t('reviews.noShowRate')}</dt>
              <dd className="text-2xl font-semibold tabular-nums">{formatShare(m.no_show_rate, 1, lang)}</dd>
            </div>
          </dl>
        )}
      </QueryState>
      <div className="grid gap-4 lg:grid-cols-2">
        <SectionCard id="distribution" title={t('rating.distribution')}>
          <QueryState query={summary}>
            {(s) => (
              <>
                <Stars value={s.average} count={s.count} />
                <BarChart
                  title={t('reviews.distributionChart')}
                  unit={t('dashboard.ratings')}
                  bars={[5, 4, 3, 2, 1].map((n) => ({ label: t('rating.stars', { count: n }), value: s.distribution[String(n)] ?? 0 }))}
                />
              </>
            )}
          </QueryState>
        </SectionCard>
        <SectionCard id="trend" title={t('dashboard.ratingsByMonth')}>
          <QueryState query={months}>
            {(rows) => (
              <BarChart
                title={t('dashboard.ratingsByMonthChart')}
                unit={t('dashboard.ratings')}
                bars={rows.slice(-12).map((m) => ({ label: formatMonth(m.month, lang), value: m.count }))}
              />
            )}
          </QueryState>
        </SectionCard>
      </div>
      <SectionCard id="latest" title={t('reviews.latest')}>
        <QueryState query={list}>
          {(page) =>
            page.data.length === 0 ? (
              <p className="text-slate-700">{t('rating.none')}</p>
            ) : (
              <ul className="divide-y divide-slate-200">
                {page.data.map((r) => (
                  <li key={r.id} className="py-2">
                    <Stars value={r.rating} />
                    {r.comment && <p className="mt-1">{r.comment}</p>}
                    <p className="text-xs text-slate-700">{formatDateTime(r.created_at, browserZone(), lang)}</p>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </SectionCard>
    </div>
  );
}
