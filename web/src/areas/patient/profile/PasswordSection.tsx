import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { put } from '../../../api/client';
import { applyProblem, errorText } from '../../../lib/forms';
import { password } from '../../../lib/schemas';
import { Alert, Button, Field, ProblemAlert, SectionCard } from '../../../ui';

const schema = z.object({ current_password: z.string().min(1, 'required'), new_password: password });
type Values = z.infer<typeof schema>;

export function PasswordSection() {
  const { t } = useTranslation();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  const save = useMutation({
    mutationFn: (v: Values) => put('/api/v1/auth/me/password', v),
    onSuccess: () => {
      setBanner(null);
      form.reset();
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, ['current_password', 'new_password'])),
  });
  const e = form.formState.errors;
  return (
    <SectionCard id="password" title={t('profile.password')}>
      <form noValidate onSubmit={form.handleSubmit((v) => save.mutate(v))}>
        <Field label={t('profile.currentPassword')} type="password" autoComplete="current-password" error={errorText(t, e.current_password)} {...form.register('current_password')} />
        <Field label={t('reset.new')} type="password" autoComplete="new-password" hint={t('field.passwordHint')} error={errorText(t, e.new_password)} {...form.register('new_password')} />
        {save.isSuccess && <Alert tone="success">{t('profile.passwordChanged')}</Alert>}
        <ProblemAlert error={banner} />
        <Button type="submit" className="mt-2" disabled={save.isPending}>
          {t('profile.changePassword')}
        </Button>
      </form>
    </SectionCard>
  );
}
