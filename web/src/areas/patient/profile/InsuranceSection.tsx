import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { put } from '../../../api/client';
import { ApiError } from '../../../api/problem';
import { q } from '../../../api/queries';
import type { Insurance } from '../../../api/types';
import { applyProblem, errorText } from '../../../lib/forms';
import { Alert, Button, Field, ProblemAlert, Spinner, SectionCard } from '../../../ui';

interface Values {
  provider: string;
  policy_number: string;
  member_name: string;
  valid_until: string;
}

function InsuranceForm({ current }: { current: Insurance | null }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({
    defaultValues: {
      provider: current?.provider ?? '',
      policy_number: current?.policy_number ?? '',
      member_name: current?.member_name ?? '',
      valid_until: current?.valid_until ?? '',
    },
  });
  const save = useMutation({
    mutationFn: (v: Values) =>
      put<Insurance>('/api/v1/patients/me/insurance', {
        provider: v.provider,
        policy_number: v.policy_number,
        member_name: v.member_name || null,
        valid_until: v.valid_until || null,
      }),
    onSuccess: () => {
      setBanner(null);
      void client.invalidateQueries({ queryKey: ['patient', 'insurance'] });
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, ['provider', 'policy_number', 'member_name', 'valid_until'])),
  });
  const e = form.formState.errors;
  return (
    <form noValidate onSubmit={form.handleSubmit((v) => save.mutate(v))}>
      <div className="grid gap-x-3 sm:grid-cols-2">
        <Field label={t('insurance.provider')} error={errorText(t, e.provider)} {...form.register('provider')} />
        <Field label={t('insurance.policy')} error={errorText(t, e.policy_number)} {...form.register('policy_number')} />
        <Field label={t('insurance.member')} error={errorText(t, e.member_name)} {...form.register('member_name')} />
        <Field label={t('insurance.validUntil')} type="date" error={errorText(t, e.valid_until)} {...form.register('valid_until')} />
      </div>
      {save.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
      <ProblemAlert error={banner} />
      <Button type="submit" className="mt-2" disabled={save.isPending}>
        {t('common.save')}
      </Button>
    </form>
  );
}

export function InsuranceSection() {
  const { t } = useTranslation();
  const ins = useQuery(q.insurance());
  const none = ins.error instanceof ApiError && ins.error.status === 404;
  return (
    <SectionCard id="insurance" title={t('profile.insurance')}>
      {ins.isPending ? <Spinner /> : ins.error && !none ? <ProblemAlert error={ins.error} /> : <InsuranceForm current={ins.data ?? null} />}
    </SectionCard>
  );
}
