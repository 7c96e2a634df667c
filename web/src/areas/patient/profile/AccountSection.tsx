import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { patch } from '../../../api/client';
import { q } from '../../../api/queries';
import type { Me } from '../../../api/types';
import { applyProblem, errorText } from '../../../lib/forms';
import { Alert, Button, Field, ProblemAlert, QueryState, SelectField, SectionCard } from '../../../ui';

interface Values {
  name: string;
  phone: string;
  gender: string;
}

function AccountForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({ defaultValues: { name: me.name, phone: me.phone, gender: me.gender } });
  const save = useMutation({
    mutationFn: (v: Values) => patch<Me>('/api/v1/auth/me', v),
    onSuccess: () => {
      setBanner(null);
      void client.invalidateQueries({ queryKey: ['me'] });
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, ['name', 'phone', 'gender'])),
  });
  const e = form.formState.errors;
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => save.mutate(v))}>
      <p className="mb-2 text-sm text-slate-700">{me.email}</p>
      <Field label={t('field.name')} autoComplete="name" error={errorText(t, e.name)} {...form.register('name')} />
      <Field label={t('field.phone')} type="tel" autoComplete="tel" error={errorText(t, e.phone)} {...form.register('phone')} />
      <SelectField label={t('field.gender')} error={errorText(t, e.gender)} {...form.register('gender')}>
        <option value="female">{t('field.female')}</option>
        <option value="male">{t('field.male')}</option>
      </SelectField>
      {save.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
      <ProblemAlert error={banner} />
      <Button type="submit" className="mt-2" disabled={save.isPending}>
        {t('common.save')}
      </Button>
    </form>
  );
}

export function AccountSection() {
  const { t } = useTranslation();
  const me = useQuery(q.me());
  return (
    <SectionCard id="account" title={t('profile.account')}>
      <QueryState query={me}>{(m) => <AccountForm me={m} />}</QueryState>
    </SectionCard>
  );
}
