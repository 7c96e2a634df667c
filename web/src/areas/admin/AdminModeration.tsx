// `/admin/moderation`: ratings held (a blocked word, or reports from several
// users) and published ones that were reported. Publishing clears the
// reports; rejecting takes the rating off the doctor's page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import type { ModeratedRating } from '../../api/types';
import { browserZone, formatDateTime } from '../../lib/time';
import { Button, Card, Pager, ProblemAlert, QueryState, Stars } from '../../ui';
import { AdminPage } from './AdminNav';

export function AdminModeration() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useQuery(q.moderation(page));
  return (
    <AdminPage title={t('admin.screens.moderation')}>
      <QueryState query={list}>
        {(res) =>
          res.data.length === 0 ? (
            <p className="text-slate-700">{t('moderation.none')}</p>
          ) : (
            <>
              <ul className="space-y-3">
                {res.data.map((r) => (
                  <li key={r.id}>
                    <Held r={r} />
                  </li>
                ))}
              </ul>
              <Pager page={res.page} perPage={res.per_page} total={res.total} onPage={setPage} />
            </>
          )
        }
      </QueryState>
    </AdminPage>
  );
}

function Held({ r }: { r: ModeratedRating }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const decide = useMutation({
    mutationFn: (what: 'approve' | 'reject') => post(`/api/v1/ratings/${r.id}/${what}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['admin'] }),
  });
  const zone = browserZone();
  return (
    <Card data-testid="held-rating">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Stars value={r.rating} />
        <span className="text-sm">{t(`moderation.status.${r.status === 'held' ? 'held' : 'reported'}`)}</span>
      </div>
      {r.comment && <p className="mt-2 whitespace-pre-wrap">{r.comment}</p>}
      <p className="mt-1 text-xs text-slate-700">
        {t('moderation.about', { doctor: r.doctor_id, patient: r.patient_id, when: formatDateTime(r.created_at, zone, i18n.language) })}
      </p>
      {r.hold_reason && (
        <p className="mt-1 text-sm">
          <span className="font-medium">{t('moderation.heldBecause')}:</span> {r.hold_reason}
        </p>
      )}
      {r.reports.length > 0 && (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer">{t('moderation.reports', { count: r.reports.length })}</summary>
          <ul className="ms-4 list-disc">
            {r.reports.map((x, i) => (
              <li key={i}>{x.reason}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button onClick={() => decide.mutate('approve')} disabled={decide.isPending}>
          {t('moderation.publish')}
        </Button>
        <Button variant="danger" onClick={() => decide.mutate('reject')} disabled={decide.isPending}>
          {t('moderation.reject')}
        </Button>
      </div>
      <ProblemAlert error={decide.error} />
    </Card>
  );
}
