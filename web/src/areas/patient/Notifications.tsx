import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { post, put } from '../../api/client';
import { q } from '../../api/queries';
import { formatDateTime } from '../../lib/time';
import { useViewerZone } from '../../lib/useZone';
import { Button, Card, PageTitle, ProblemAlert, QueryState } from '../../ui';

/** The inbox; new notifications arrive live (the badge's stream refreshes it). */
export function Notifications() {
  const { t, i18n } = useTranslation();
  const zone = useViewerZone();
  const client = useQueryClient();
  const list = useQuery(q.notifications());
  const refresh = () => void client.invalidateQueries({ queryKey: ['notifications'] });
  const read = useMutation({ mutationFn: (id: number) => put(`/api/v1/notifications/${id}/read`), onSuccess: refresh });
  const readAll = useMutation({ mutationFn: () => post('/api/v1/notifications/read-all'), onSuccess: refresh });
  return (
    <>
      <PageTitle title={t('notifications.title')}>{t('notifications.title')}</PageTitle>
      <div className="mb-3">
        <Button variant="secondary" onClick={() => readAll.mutate()} disabled={readAll.isPending}>
          {t('notifications.readAll')}
        </Button>
      </div>
      <ProblemAlert error={read.error ?? readAll.error} />
      <QueryState query={list}>
        {(page) =>
          page.data.length === 0 ? (
            <p className="text-slate-700">{t('notifications.none')}</p>
          ) : (
            <ul className="space-y-2" aria-live="polite">
              {page.data.map((n) => (
                <li key={n.id}>
                  <Card className={n.is_read ? '' : 'border-teal-600'}>
                    <div className="flex flex-wrap items-start justify-between gap-2">
                      <div className="min-w-0">
                        <h2 className="font-semibold">
                          {!n.is_read && <span className="sr-only">{t('notifications.unread')}: </span>}
                          {n.title}
                        </h2>
                        <p className="whitespace-pre-line">{n.message}</p>
                        <p className="text-xs text-slate-700">{formatDateTime(n.created_at, zone, i18n.language)}</p>
                      </div>
                      {!n.is_read && (
                        <Button variant="ghost" onClick={() => read.mutate(n.id)}>
                          {t('notifications.markRead')}
                        </Button>
                      )}
                    </div>
                  </Card>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}
