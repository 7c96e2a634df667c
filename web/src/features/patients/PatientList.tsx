// Patients, searchable by name or email, a page at a time: a doctor sees
// those with a care relationship, an admin everyone (the API decides).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import type { Page, PatientProfile } from '../../api/types';
import { Button, Field, Pager, QueryState } from '../../ui';

export function PatientList({ linkTo }: { linkTo?: (id: number) => string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(text);
  const list = useQuery({
    queryKey: ['patients', text, page],
    queryFn: () => get<Page<PatientProfile>>('/api/v1/patients', { q: text, page, per_page: 20 }),
  });
  return (
    <>
      <form
        role="search"
        className="mb-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: draft });
        }}
      >
        <div className="min-w-0 flex-1">
          <Field label={t('users.search')} value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <Button type="submit" className="mb-3">
          {t('search.submit')}
        </Button>
      </form>
      <QueryState query={list}>
        {(res) => (
          <>
            {res.data.length === 0 ? (
              <p className="text-slate-700">{t('patients.none')}</p>
            ) : (
              <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
                {res.data.map((p) => (
                  <li key={p.id} className="p-3">
                    {linkTo ? (
                      <Link to={linkTo(p.id)} className="font-medium text-teal-900 underline">
                        {p.name}
                      </Link>
                    ) : (
                      <span className="font-medium">{p.name}</span>
                    )}
                    <span className="block break-all text-sm text-slate-700">
                      {p.email}
                      {p.address?.city ? ` · ${p.address.city}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <Pager page={res.page} perPage={res.per_page} total={res.total} onPage={(p) => setParams({ q: text, page: String(p) })} />
          </>
        )}
      </QueryState>
    </>
  );
}
