import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { COOKIE_HEADER, post } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { Session } from '../../api/types';
import { applyProblem, errorText } from '../../lib/forms';
import { email } from '../../lib/schemas';
import { useSession } from '../../session/SessionContext';
import { Alert, Button, Card, Field, PageTitle, ProblemAlert } from '../../ui';

const schema = z.object({ email, password: z.string().min(1, 'required') });
type Values = z.infer<typeof schema>;

/** Where to go after signing in: only paths of this app, never another site. */
export function safeNext(next: string | null, fallback: string): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export function homeOf(role: string): string {
  return role === 'doctor' ? '/doctor' : role === 'admin' ? '/admin' : '/appointments';
}

export function Login() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signIn } = useSession();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  const login = useMutation({
    mutationFn: (v: Values) => post<Session>('/api/v1/auth/login', v, COOKIE_HEADER),
    onSuccess: (s) => {
      signIn(s);
      navigate(safeNext(params.get('next'), homeOf(s.user.role)), { replace: true });
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, ['email', 'password'])),
  });
  const e = form.formState.errors;
  return (
    <div className="mx-auto max-w-md">
      <PageTitle title={t('login.title')}>{t('login.title')}</PageTitle>
      {params.get('next') && <Alert tone="info">{t('login.needed')}</Alert>}
      <Card className="mt-3">
        <form noValidate onSubmit={form.handleSubmit((v) => login.mutate(v))}>
          <Field label={t('field.email')} type="email" autoComplete="email" error={errorText(t, e.email)} {...form.register('email')} />
          <Field
            label={t('field.password')}
            type="password"
            autoComplete="current-password"
            error={errorText(t, e.password)}
            {...form.register('password')}
          />
          {banner instanceof ApiError && banner.status === 401 ? (
            <Alert tone="error">{t('login.wrong')}</Alert>
          ) : (
            <ProblemAlert error={banner} />
          )}
          <Button type="submit" className="mt-2 w-full" disabled={login.isPending}>
            {t('login.submit')}
          </Button>
        </form>
      </Card>
      <p className="mt-4 flex flex-wrap justify-between gap-2 text-sm">
        <Link to="/forgot-password" className="underline">
          {t('login.forgot')}
        </Link>
        <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(params.get('next') ?? '')}` : ''}`} className="underline">
          {t('login.noAccount')}
        </Link>
      </p>
    </div>
  );
}
