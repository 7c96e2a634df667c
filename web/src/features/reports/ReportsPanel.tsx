// Appointment and travel-time reports over a date range (and, for admins,
// one doctor): the summary on screen, the full report downloaded as csv,
// xlsx or pdf. The API scopes a doctor to their own appointments.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { q } from '../../api/queries';
import { formatNumber } from '../../lib/numbers';
import { addDays, browserZone, todayIn } from '../../lib/time';
import { BarChart, Button, Field, ProblemAlert, QueryState, SectionCard, SelectField } from '../../ui';

const FORMATS = ['csv', 'xlsx', 'pdf'] as const;

interface AppointmentReport {
  total: number;
  by_status: Record<string, number>;
}

interface TravelTimes {
  doctor_id: number;
  count: number;
  total: number;
  avg: number;
  min: number;
  max: number;
}

async function download(path: string, query: Record<string, string>, name: string): Promise<void> {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '')).toString();
  const res = await api<Response>('GET', `${path}?${qs}`, { asResponse: true });
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ReportsPanel({ chooseDoctor }: { chooseDoctor: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = todayIn(browserZone());
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const [doctorId, setDoctorId] = useState('');
  // One page of doctors by name for the filter (the API's maximum, 100).
  const doctors = useQuery({ ...q.doctors({ sort: 'name' }), enabled: chooseDoctor });
  const query = { from, to, doctor_id: doctorId };
  const summary = useQuery({
    queryKey: ['reports', 'appointments', query],
    queryFn: () => get<AppointmentReport>('/api/v1/reports/appointments', { ...query, format: 'json' }),
  });
  const travel = useQuery({
    queryKey: ['reports', 'travel', query],
    queryFn: () => get<TravelTimes[]>('/api/v1/reports/travel-times', query),
  });
  const file = useMutation({
    mutationFn: (format: (typeof FORMATS)[number]) =>
      download('/api/v1/reports/appointments', { ...query, format }, `appointments-${from}-${to}.${format}`),
  });
  return (
    <div className="space-y-4">
      <form className="grid gap-x-3 sm:grid-cols-3" onSubmit={(e) => e.preventDefault()} aria-label={t('reports.filters')}>
        <Field label={t('reports.from')} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        <Field label={t('reports.to')} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        {chooseDoctor && (
          <SelectField label={t('reports.doctor')} value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
            <option value="">{t('reports.allDoctors')}</option>
            {doctors.data?.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
        )}
      </form>
      <SectionCard id="report-appointments" title={t('reports.appointments')}>
        <QueryState query={summary}>
          {(r) => (
            <>
              <p className="mb-2">{t('reports.total', { count: r.total, n: formatNumber(r.total, lang) })}</p>
              <BarChart
                title={t('dashboard.byStatus')}
                unit={t('dashboard.appointments')}
                bars={Object.entries(r.by_status).map(([s, n]) => ({ label: t(`status.${s}`), value: n }))}
              />
            </>
          )}
        </QueryState>
        <div className="mt-3 flex flex-wrap gap-2">
          {FORMATS.map((f) => (
            <Button key={f} variant="secondary" disabled={file.isPending} onClick={() => file.mutate(f)}>
              {t('reports.download', { format: f.toUpperCase() })}
            </Button>
          ))}
        </div>
        <ProblemAlert error={file.error} />
      </SectionCard>
      <SectionCard id="report-travel" title={t('reports.travel')}>
        <QueryState query={travel}>
          {(rows) =>
            rows.length === 0 ? (
              <p className="text-slate-700">{t('reports.noTravel')}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <caption className="sr-only">{t('reports.travel')}</caption>
                  <thead>
                    <tr>
                      {(['doctor', 'visits', 'avg', 'min', 'max'] as const).map((c) => (
                        <th key={c} scope="col" className="px-2 text-start">
                          {t(`reports.col.${c}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.doctor_id} className="border-t border-slate-200">
                        <th scope="row" className="px-2 text-start font-normal">
                          {doctors.data?.data.find((d) => d.id === r.doctor_id)?.name ?? `#${r.doctor_id}`}
                        </th>
                        <td className="px-2 tabular-nums">{formatNumber(r.count, lang)}</td>
                        <td className="px-2 tabular-nums">{formatNumber(r.avg, lang, 1)}</td>
                        <td className="px-2 tabular-nums">{formatNumber(r.min, lang)}</td>
                        <td className="px-2 tabular-nums">{formatNumber(r.max, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryState>
      </SectionCard>
    </div>
  );
}
