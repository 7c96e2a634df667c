// `/admin/deliveries?status=&user_id=`: every mail and SMS attempt with its
// status, attempts and last error, newest first.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get } from '../../api/client';
import type { Page } from '../../api/types';
import { formatNumber } from '../../lib/numbers';
import { browserZone, formatDateTime } from '../../lib/time';
import { Button, Field, Pager, QueryState, SelectField } from '../../ui';
import { AdminPage } from './AdminNav';

interface Delivery {
  id: number;
  user_id: number;
  channel: string;
  template: string;
  status: string;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

const STATUSES = ['', 'queued', 'sending', 'sent', 'failed'] as const;

export function AdminDeliveries() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const userId = params.get('user_id') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draftUser, setDraftUser] = useState(userId);
  const list = useQuery({
    queryKey: ['admin', 'deliveries', status, userId, page],
    queryFn: () => get<Page<Delivery>>('/api/v1/notification-deliveries', { status, user_id: userId, page, per_page: 25 }),
  });
  const zone = browserZone();
  return (
    <AdminPage title={t('admin.screens.deliveries')}>
      <form
        className="mb-3 grid gap-x-3 sm:grid-cols-[12rem_12rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ status, user_id: draftUser });
        }}
      >
        <SelectField label={t('deliveries.status')} value={status} onChange={(e) => setParams({ status: e.target.value, user_id: userId })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`deliveries.statuses.${s || 'all'}`)}
            </option>
          ))}
        </SelectField>
        <Field label={t('deliveries.user')} inputMode="numeric" value={draftUser} onChange={(e) => setDraftUser(e.target.value.replace(/\D/g, ''))} />
        <Button type="submit" className="mb-3">
          {t('deliveries.filter')}
        </Button>
      </form>
      <QueryState query={list}>
        {(res) =>
          res.data.length === 0 ? (
            <p className="text-slate-700">{t('deliveries.none')}</p>
          ) : (
            <>
              <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
                {res.data.map((d) => (
                  <li key={d.id} className="p-3 text-sm" data-testid="delivery">
                    <p className="flex flex-wrap justify-between gap-2">
                      <span className="font-medium">
                        {d.template} · {t(`deliveries.channels.${d.channel}`, { defaultValue: d.channel })}
                      </span>
                      <span className={d.status === 'failed' ? 'font-semibold text-red-800' : ''}>
                        {t(`deliveries.statuses.${d.status}`, { defaultValue: d.status })}
                      </span>
                    </p>
                    <p className="text-slate-700">
                      {t('deliveries.meta', {
                        user: d.user_id,
                        attempts: formatNumber(d.attempts, lang),
                        when: formatDateTime(d.sent_at ?? d.created_at, zone, lang),
                      })}
                    </p>
                    {d.last_error && <p className="break-words text-red-800">{d.last_error}</p>}
                  </li>
                ))}
              </ul>
              <Pager page={res.page} perPage={res.per_page} total={res.total} onPage={(p) => setParams({ status, user_id: userId, page: String(p) })} />
            </>
          )
        }
      </QueryState>
    </AdminPage>
  );
}
