// `/admin/users?role=&q=&page=`: every account, searchable; an admin
// disables one (it can no longer sign in or refresh) or enables it again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import type { AdminUser } from '../../api/types';
import { useSession } from '../../session/SessionContext';
import { Alert, Button, Field, Pager, ProblemAlert, QueryState, SelectField } from '../../ui';
import { AdminPage } from './AdminNav';

export function AdminUsers() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const role = params.get('role') ?? '';
  const text = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(text);
  const list = useQuery(q.users({ role, q: text, page }));
  return (
    <AdminPage title={t('admin.screens.users')}>
      <form
        role="search"
        className="mb-3 grid gap-x-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ role, q: draft });
        }}
      >
        <Field label={t('users.search')} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <SelectField label={t('users.role')} value={role} onChange={(e) => setParams({ role: e.target.value, q: text })}>
          {['', 'patient', 'doctor', 'admin'].map((r) => (
            <option key={r} value={r}>
              {t(`users.roles.${r || 'all'}`)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" className="mb-3">
          {t('search.submit')}
        </Button>
      </form>
      <QueryState query={list}>
        {(res) => (
          <>
            <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
              {res.data.map((u) => (
                <UserRow key={u.id} u={u} />
              ))}
            </ul>
            {res.data.length === 0 && <p className="text-slate-700">{t('users.none')}</p>}
            <Pager page={res.page} perPage={res.per_page} total={res.total} onPage={(p) => setParams({ role, q: text, page: String(p) })} />
          </>
        )}
      </QueryState>
    </AdminPage>
  );
}

function UserRow({ u }: { u: AdminUser }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const client = useQueryClient();
  // The row shows the list's `disabled`; after a toggle the list is read again.
  const set = useMutation({
    mutationFn: (what: 'disable' | 'enable') => post(`/api/v1/admin/users/${u.id}/${what}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 p-3" data-testid="user-row">
      <div className="min-w-0">
        <p className="font-medium">{u.name}</p>
        <p className="break-all text-sm text-slate-700">
          {u.email} · {t(`users.roles.${u.role}`)}
          {u.disabled && (
            <>
              {' · '}
              <span className="font-semibold text-red-800" data-testid="user-disabled">
                {t('users.isDisabled')}
              </span>
            </>
          )}
        </p>
      </div>
      {u.id !== user?.id && (
        <div className="flex flex-wrap gap-2">
          {u.disabled ? (
            <Button variant="secondary" onClick={() => set.mutate('enable')} disabled={set.isPending} aria-label={t('users.enableLabel', { name: u.name })}>
              {t('users.enable')}
            </Button>
          ) : (
            <Button variant="danger" onClick={() => set.mutate('disable')} disabled={set.isPending} aria-label={t('users.disableLabel', { name: u.name })}>
              {t('users.disable')}
            </Button>
          )}
        </div>
      )}
      {set.isSuccess && (
        <div className="w-full">
          <Alert tone="success">{set.variables === 'disable' ? t('users.disabled') : t('users.enabled')}</Alert>
        </div>
      )}
      {set.error != null && (
        <div className="w-full">
          <ProblemAlert error={set.error} />
        </div>
      )}
    </li>
  );
}
