import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { patch } from '../../../api/client';
import { q } from '../../../api/queries';
import type { PatientProfile } from '../../../api/types';
import { applyProblem, errorText } from '../../../lib/forms';
import { Alert, Button, Field, ProblemAlert, QueryState, SectionCard } from '../../../ui';

interface Values {
  phone: string;
  birth_date: string;
  address: { street: string; city: string };
}

function RecordForm({ p }: { p: PatientProfile }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({
    defaultValues: { phone: p.phone, birth_date: p.birth_date, address: p.address ?? { street: '', city: '' } },
  });
  const save = useMutation({
    mutationFn: (v: Values) => patch<PatientProfile>('/api/v1/patients/me', v),
    onSuccess: () => {
      setBanner(null);
      void client.invalidateQueries({ queryKey: ['patient'] });
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, ['phone', 'birth_date', 'address.street', 'address.city'])),
  });
  const e = form.formState.errors;
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => save.mutate(v))}>
      <p className="mb-2 text-sm text-slate-700">
        {t('field.cin')}: {p.cin}
      </p>
      <div className="grid gap-x-3 sm:grid-cols-2">
        <Field label={t('field.phone')} type="tel" error={errorText(t, e.phone)} {...form.register('phone')} />
        <Field label={t('field.birthDate')} type="date" error={errorText(t, e.birth_date)} {...form.register('birth_date')} />
        <Field label={t('field.street')} error={errorText(t, e.address?.street)} {...form.register('address.street')} />
        <Field label={t('field.city')} error={errorText(t, e.address?.city)} {...form.register('address.city')} />
      </div>
      {save.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
      <ProblemAlert error={banner} />
      <Button type="submit" className="mt-2" disabled={save.isPending}>
        {t('common.save')}
      </Button>
    </form>
  );
}

export function RecordSection() {
  const { t } = useTranslation();
  const p = useQuery(q.patient());
  return (
    <SectionCard id="record" title={t('profile.record')}>
      <QueryState query={p}>{(v) => <RecordForm p={v} />}</QueryState>
    </SectionCard>
  );
}
