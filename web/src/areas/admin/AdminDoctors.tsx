// `/admin/doctors?name=&page=`: the doctors (the public directory, searched
// by name) and a form that creates a doctor account directly.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import { DOCTOR_FIELDS, DoctorFields, PersonFields, doctorSchema, type DoctorValues, type Person } from '../../features/accounts/PersonFields';
import { applyProblem } from '../../lib/forms';
import { browserZone } from '../../lib/time';
import { Alert, Button, Field, Pager, ProblemAlert, QueryState, SectionCard } from '../../ui';
import { AdminPage } from './AdminNav';

export function AdminDoctors() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const name = params.get('name') ?? '';
  const page = params.get('page') ?? '1';
  const [draft, setDraft] = useState(name);
  const list = useQuery(q.doctors({ name, page, sort: 'name' }));
  return (
    <AdminPage title={t('admin.screens.doctors')}>
      <div className="grid gap-4 lg:grid-cols-2">
        <SectionCard id="doctor-list" title={t('adminDoctors.list')}>
          <form
            role="search"
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setParams({ name: draft });
            }}
          >
            <div className="min-w-0 flex-1">
              <Field label={t('search.name')} value={draft} onChange={(e) => setDraft(e.target.value)} />
            </div>
            <Button type="submit" className="mb-3">
              {t('search.submit')}
            </Button>
          </form>
          <QueryState query={list}>
            {(res) => (
              <>
                <ul className="divide-y divide-slate-200">
                  {res.data.map((d) => (
                    <li key={d.id} className="py-2">
                      <Link to={`/doctors/${d.id}`} className="font-medium text-teal-900 underline">
                        {d.name}
                      </Link>
                      <span className="block text-sm text-slate-700">
                        {d.specialty.name}
                        {d.city ? ` · ${d.city}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
                {res.data.length === 0 && <p className="text-slate-700">{t('adminDoctors.none')}</p>}
                <Pager page={res.page} perPage={res.per_page} total={res.total} onPage={(p) => setParams({ name, page: String(p) })} />
              </>
            )}
          </QueryState>
        </SectionCard>
        <SectionCard id="doctor-create" title={t('adminDoctors.create')}>
          <CreateDoctor />
        </SectionCard>
      </div>
    </AdminPage>
  );
}

function CreateDoctor() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<z.input<typeof doctorSchema>, unknown, DoctorValues>({ resolver: zodResolver(doctorSchema) });
  const create = useMutation({
    mutationFn: (v: DoctorValues) => post<{ id: number; name: string }>('/api/v1/doctors', { ...v, timezone: browserZone() }),
    onSuccess: () => {
      setBanner(null);
      form.reset();
      void client.invalidateQueries({ queryKey: ['doctors'] });
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, DOCTOR_FIELDS)),
  });
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => create.mutate(v))}>
      <PersonFields register={form.register as unknown as UseFormRegister<Person>} errors={form.formState.errors} />
      <DoctorFields register={form.register} errors={form.formState.errors} />
      {create.isSuccess && <Alert tone="success">{t('adminDoctors.created', { name: create.data.name })}</Alert>}
      <ProblemAlert error={banner} />
      <Button type="submit" className="mt-2" disabled={create.isPending}>
        {t('adminDoctors.submit')}
      </Button>
    </form>
  );
}
