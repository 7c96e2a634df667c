// `/admin/specialties`: add, rename and delete specialties. The API refuses
// to delete one that doctors still use (409); the row says so and why.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, patch, post } from '../../api/client';
import { ApiError } from '../../api/problem';
import { q } from '../../api/queries';
import type { Specialty } from '../../api/types';
import { Alert, Button, Field, ProblemAlert, QueryState, SectionCard } from '../../ui';
import { AdminPage } from './AdminNav';

function fieldError(e: unknown): string | undefined {
  if (!(e instanceof ApiError)) return undefined;
  if (e.status === 409) return e.detail ?? e.title;
  return e.fieldErrors.name?.join(' ');
}

export function AdminSpecialties() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const list = useQuery(q.specialties());
  const [name, setName] = useState('');
  const add = useMutation({
    mutationFn: () => post('/api/v1/specialties', { name: name.trim() }),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: ['specialties'] });
    },
  });
  return (
    <AdminPage title={t('admin.screens.specialties')}>
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <SectionCard id="specialty-list" title={t('specialties.list')}>
          <QueryState query={list}>
            {(rows) => (
              <ul className="divide-y divide-slate-200">
                {rows.map((s) => (
                  <SpecialtyRow key={s.id} s={s} />
                ))}
              </ul>
            )}
          </QueryState>
        </SectionCard>
        <SectionCard id="specialty-add" title={t('specialties.add')}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) add.mutate();
            }}
          >
            <Field label={t('specialties.name')} maxLength={255} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(add.error)} />
            <ProblemAlert error={fieldError(add.error) ? null : add.error} />
            <Button type="submit" disabled={!name.trim() || add.isPending}>
              {t('specialties.addSubmit')}
            </Button>
          </form>
        </SectionCard>
      </div>
    </AdminPage>
  );
}

function SpecialtyRow({ s }: { s: Specialty }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(s.name);
  const refresh = () => void client.invalidateQueries({ queryKey: ['specialties'] });
  const rename = useMutation({
    mutationFn: () => patch(`/api/v1/specialties/${s.id}`, { name: name.trim() }),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => del(`/api/v1/specialties/${s.id}`), onSuccess: refresh });
  const inUse = remove.error instanceof ApiError && remove.error.status === 409;
  return (
    <li className="py-2" data-testid="specialty-row">
      {editing ? (
        <form
          noValidate
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) rename.mutate();
          }}
        >
          <div className="min-w-0 flex-1">
            <Field label={t('specialties.name')} maxLength={255} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(rename.error)} />
          </div>
          <div className="mb-3 flex gap-2">
            <Button type="submit" disabled={rename.isPending}>
              {t('common.save')}
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p>
            <span className="font-medium">{s.name}</span>{' '}
            <span className="text-sm text-slate-700">{t('specialties.doctors', { count: s.doctor_count, n: new Intl.NumberFormat(i18n.language).format(s.doctor_count) })}</span>
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setEditing(true)} aria-label={t('specialties.editLabel', { name: s.name })}>
              {t('schedule.edit')}
            </Button>
            <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending} aria-label={t('specialties.deleteLabel', { name: s.name })}>
              {t('schedule.delete')}
            </Button>
          </div>
        </div>
      )}
      {inUse && <Alert tone="error">{t('specialties.inUse', { count: s.doctor_count })}</Alert>}
      {!inUse && <ProblemAlert error={remove.error} />}
      {!fieldError(rename.error) && <ProblemAlert error={rename.error} />}
    </li>
  );
}
