// `/admin`: today's figures and the charts, each from the aggregate read
// endpoint of the service that owns the data (counted in SQL there; the
// page never walks a list).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { AppointmentStatus } from '../../api/types';
import { formatMonth } from '../../lib/numbers';
import { browserZone } from '../../lib/time';
import { BarChart, QueryState, SectionCard, Stat } from '../../ui';
import { AdminPage } from './AdminNav';

const STATUSES: AppointmentStatus[] = ['pending', 'approved', 'completed', 'cancelled', 'no_show', 'expired'];

interface MonthCount {
  month: string;
  count: number;
}
interface AppointmentStats {
  total: number;
  by_status: Record<AppointmentStatus, number>;
  by_month: MonthCount[];
  today: number;
}
interface DoctorStats {
  total: number;
  by_month: MonthCount[];
  pending_applications: number;
}
interface PatientStats {
  total: number;
  by_gender: { female: number; male: number; unknown: number };
  by_month: MonthCount[];
}
interface RatingStats {
  by_month: (MonthCount & { average: number })[];
  held: number;
  reported: number;
}
interface DeliveryStats {
  failed: number;
}

/** One stats endpoint, fetched once per dashboard visit. */
function useStats<T>(name: string, path: string) {
  return useQuery({ queryKey: ['admin', 'stats', name, path], queryFn: () => get<T>(path) });
}

export function AdminHome() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const appointments = useStats<AppointmentStats>(
    'appointments',
    `/api/v1/appointments/stats?tz=${encodeURIComponent(browserZone())}`,
  );
  const doctors = useStats<DoctorStats>('doctors', '/api/v1/doctors/stats');
  const patients = useStats<PatientStats>('patients', '/api/v1/patients/stats');
  const ratings = useStats<RatingStats>('ratings', '/api/v1/ratings/stats');
  const deliveries = useStats<DeliveryStats>('deliveries', '/api/v1/notification-deliveries/stats');
  // The last twelve months present, labelled in the reader's locale.
  const months = (rows: MonthCount[]) =>
    rows.slice(-12).map((m) => ({ label: formatMonth(m.month, lang), value: m.count }));
  return (
    <AdminPage title={t('admin.dashboard')}>
      <dl className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label={t('dashboard.today')} value={appointments.data?.today} testId="stat-today" />
        <Stat
          label={t('dashboard.pendingApplications')}
          value={doctors.data?.pending_applications}
          testId="stat-applications"
        />
        <Stat label={t('dashboard.heldReviews')} value={ratings.data?.held} testId="stat-held" />
        <Stat label={t('dashboard.reportedReviews')} value={ratings.data?.reported} testId="stat-reported" />
        <Stat label={t('dashboard.failedDeliveries')} value={deliveries.data?.failed} testId="stat-failed" />
        <Stat label={t('dashboard.doctors')} value={doctors.data?.total} testId="stat-doctors" />
        <Stat label={t('dashboard.patients')} value={patients.data?.total} testId="stat-patients" />
        <Stat label={t('dashboard.appointments')} value={appointments.data?.total} testId="stat-appointments" />
      </dl>
      <div className="grid gap-4 lg:grid-cols-2">
        <SectionCard id="by-status" title={t('dashboard.byStatus')}>
          <QueryState query={appointments}>
            {(s) => (
              <BarChart
                title={t('dashboard.byStatusChart')}
                unit={t('dashboard.appointments')}
                bars={STATUSES.map((status) => ({ label: t(`status.${status}`), value: s.by_status[status] ?? 0 }))}
              />
            )}
          </QueryState>
        </SectionCard>
        <SectionCard id="appointments-by-month" title={t('dashboard.appointmentsByMonth')}>
          <QueryState query={appointments}>
            {(s) => (
              <BarChart title={t('dashboard.appointmentsByMonthChart')} unit={t('dashboard.appointments')} bars={months(s.by_month)} />
            )}
          </QueryState>
        </SectionCard>
        <SectionCard id="doctors-by-month" title={t('dashboard.doctorsByMonth')}>
          <QueryState query={doctors}>
            {(s) => <BarChart title={t('dashboard.doctorsByMonthChart')} unit={t('dashboard.doctors')} bars={months(s.by_month)} />}
          </QueryState>
        </SectionCard>
        <SectionCard id="patients-by-month" title={t('dashboard.patientsByMonth')}>
          <QueryState query={patients}>
            {(s) => <BarChart title={t('dashboard.patientsByMonthChart')} unit={t('dashboard.patients')} bars={months(s.by_month)} />}
          </QueryState>
        </SectionCard>
        <SectionCard id="by-gender" title={t('dashboard.byGender')}>
          <QueryState query={patients}>
            {(s) => (
              <BarChart
                title={t('dashboard.byGenderChart')}
                unit={t('dashboard.patients')}
                bars={[
                  { label: t('field.female'), value: s.by_gender.female },
                  { label: t('field.male'), value: s.by_gender.male },
                  ...(s.by_gender.unknown ? [{ label: t('dashboard.unknownGender'), value: s.by_gender.unknown }] : []),
                ]}
              />
            )}
          </QueryState>
        </SectionCard>
        <SectionCard id="by-month" title={t('dashboard.ratingsByMonth')}>
          <QueryState query={ratings}>
            {(s) => <BarChart title={t('dashboard.ratingsByMonthChart')} unit={t('dashboard.ratings')} bars={months(s.by_month)} />}
          </QueryState>
        </SectionCard>
      </div>
    </AdminPage>
  );
}
