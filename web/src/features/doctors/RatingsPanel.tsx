import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../api/queries';
import { formatDateTime } from '../../lib/time';
import { useViewerZone } from '../../lib/useZone';
import { Card, Stars } from '../../ui';

/** The published ratings of a doctor: average, distribution, latest comments. */
export function RatingsPanel({ doctorId }: { doctorId: number }) {
  const { t, i18n } = useTranslation();
  const zone = useViewerZone();
  const summary = useQuery(q.ratingSummary(doctorId));
  const list = useQuery(q.ratings(doctorId));
  const s = summary.data;
  return (
    <Card>
      <h2 className="mb-3 text-xl font-semibold">{t('rating.heading')}</h2>
      {s && s.count > 0 ? (
        <div className="mb-4 grid gap-4 sm:grid-cols-[auto_1fr]">
          <Stars value={s.average} count={s.count} />
          <dl className="space-y-1" aria-label={t('rating.distribution')}>
            {[5, 4, 3, 2, 1].map((n) => {
              const c = s.distribution[String(n)] ?? 0;
              const pct = s.count ? Math.round((c / s.count) * 100) : 0;
              return (
                <div key={n} className="flex items-center gap-2 text-sm">
                  <dt className="w-16 shrink-0">{t('rating.stars', { count: n })}</dt>
                  <dd className="flex flex-1 items-center gap-2">
                    <span aria-hidden="true" className="h-2 flex-1 rounded bg-slate-200">
                      <span className="block h-2 rounded bg-amber-500" style={{ width: `${pct}%` }} />
                    </span>
                    <span>{c}</span>
                  </dd>
                </div>
              );
            })}
          </dl>
        </div>
      ) : (
        <p className="mb-2 text-slate-700">{t('rating.none')}</p>
      )}
      <ul className="divide-y divide-slate-200">
        {list.data?.data.map((r) => (
          <li key={r.id} className="py-2">
            <Stars value={r.rating} />
            {r.comment && <p className="mt-1">{r.comment}</p>}
            <p className="text-xs text-slate-700">{formatDateTime(r.created_at, zone, i18n.language)}</p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
