// `/admin`: today's figures and the charts the API can already answer with
// counts (each figure is a list's `total`, one row fetched; never a page
// walk). Doctors, patients and appointments over time and patients by
// gender need aggregate read endpoints the services do not have yet.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { q } from '../../api/queries';
import type { AppointmentStatus } from '../../api/types';
import { formatMonth } from '../../lib/numbers';
import { browserZone, todayIn } from '../../lib/time';
import { BarChart, QueryState, SectionCard, Stat } from '../../ui';
import { AdminPage } from './AdminNav';

const STATUSES: AppointmentStatus[] = ['pending', 'approved', 'completed', 'cancelled', 'no_show', 'expired'];

export function AdminHome() {
  const { t, i18n } = useTranslation();
  const today = todayIn(browserZone());
  const todays = useQuery(q.total('/api/v1/appointments', { from: today, to: today }));
  const pending = useQuery(q.total('/api/v1/doctor-applications', { status: 'pending' }));
  const held = useQuery(q.total('/api/v1/ratings/moderation', {}));
  const failed = useQuery(q.total('/api/v1/notification-deliveries', { status: 'failed' }));
  const byStatus = useQueries({ queries: STATUSES.map((status) => q.total('/api/v1/appointments', { status })) });
  const months = useQuery({
    queryKey: ['admin', 'ratings-by-month'],
    queryFn: () => get<{ month: string; count: number; average: number }[]>('/api/v1/ratings/analytics'),
  });
  const statusReady = byStatus.every((s) => s.data !== undefined);
  return (
    <AdminPage title={t('admin.dashboard')}>
      <dl className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label={t('dashboard.today')} value={todays.data} testId="stat-today" />
        <Stat label={t('dashboard.pendingApplications')} value={pending.data} testId="stat-applications" />
        <Stat label={t('dashboard.heldReviews')} value={held.data} testId="stat-held" />
        <Stat label={t('dashboard.failedDeliveries')} value={failed.data} testId="stat-failed" />
      </dl>
      <div className="grid gap-4 lg:grid-cols-2">
        <SectionCard id="by-status" title={t('dashboard.byStatus')}>
          {statusReady ? (
            <BarChart
              title={t('dashboard.byStatusChart')}
              unit={t('dashboard.appointments')}
              bars={STATUSES.map((s, i) => ({ label: t(`status.${s}`), value: byStatus[i].data ?? 0 }))}
            />
          ) : (
            <p role="status">{t('common.loading')}</p>
          )}
        </SectionCard>
        <SectionCard id="by-month" title={t('dashboard.ratingsByMonth')}>
          <QueryState query={months}>
            {(rows) => (
              <BarChart
                title={t('dashboard.ratingsByMonthChart')}
                unit={t('dashboard.ratings')}
                bars={rows.slice(-12).map((m) => ({ label: formatMonth(m.month, i18n.language), value: m.count }))}
              />
            )}
          </QueryState>
        </SectionCard>
      </div>
    </AdminPage>
  );
}
