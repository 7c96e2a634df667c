import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { post } from '../../api/client';
import { applyProblem, errorText } from '../../lib/forms';
import { email, password } from '../../lib/schemas';
import { Alert, Button, Card, Field, PageTitle, ProblemAlert } from '../../ui';

const forgotSchema = z.object({ email });

export function ForgotPassword() {
  const { t } = useTranslation();
  const form = useForm<z.infer<typeof forgotSchema>>({ resolver: zodResolver(forgotSchema) });
  const m = useMutation({ mutationFn: (v: { email: string }) => post('/api/v1/auth/password/forgot', v) });
  return (
    <div className="mx-auto max-w-md">
      <PageTitle title={t('forgot.title')}>{t('forgot.title')}</PageTitle>
      <Card>
        {m.isSuccess ? (
          <Alert tone="success">{t('forgot.sent')}</Alert>
        ) : (
          <form noValidate onSubmit={form.handleSubmit((v) => m.mutate(v))}>
            <p className="mb-3 text-slate-700">{t('forgot.lead')}</p>
            <Field label={t('field.email')} type="email" autoComplete="email" error={errorText(t, form.formState.errors.email)} {...form.register('email')} />
            <ProblemAlert error={m.error} />
            <Button type="submit" disabled={m.isPending}>
              {t('forgot.submit')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}

const resetSchema = z
  .object({ password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'passwordsDiffer', path: ['confirm'] });

export function ResetPassword() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<z.infer<typeof resetSchema>>({ resolver: zodResolver(resetSchema) });
  const m = useMutation({
    mutationFn: (v: { password: string }) => post('/api/v1/auth/password/reset', { token, password: v.password }),
    onError: (e) => setBanner(applyProblem(e, form.setError, ['password'])),
  });
  return (
    <div className="mx-auto max-w-md">
      <PageTitle title={t('reset.title')}>{t('reset.title')}</PageTitle>
      <Card>
        {!token ? (
          <Alert tone="error">{t('reset.noToken')}</Alert>
        ) : m.isSuccess ? (
          <Alert tone="success">
            {t('reset.done')} <Link to="/login" className="underline">{t('nav.login')}</Link>
          </Alert>
        ) : (
          <form noValidate onSubmit={form.handleSubmit((v) => m.mutate(v))}>
            <Field label={t('reset.new')} type="password" autoComplete="new-password" hint={t('field.passwordHint')} error={errorText(t, form.formState.errors.password)} {...form.register('password')} />
            <Field label={t('reset.confirm')} type="password" autoComplete="new-password" error={errorText(t, form.formState.errors.confirm)} {...form.register('confirm')} />
            <ProblemAlert error={banner} />
            <Button type="submit" disabled={m.isPending}>
              {t('reset.submit')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
