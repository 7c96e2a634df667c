import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { COOKIE_HEADER, post, put, setAccessToken } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { Session } from '../../api/types';
import { DOCTOR_FIELDS, DoctorFields, PersonFields, doctorSchema, person, type DoctorValues, type Person } from '../../features/accounts/PersonFields';
import { applyProblem, errorText } from '../../lib/forms';
import * as s from '../../lib/schemas';
import { browserZone } from '../../lib/time';
import { useSession } from '../../session/SessionContext';
import { Alert, Button, Card, Field, PageTitle, ProblemAlert } from '../../ui';
import { homeOf, safeNext } from './Login';

/**
 * Stores the language and zone the person signed up in (the API's defaults
 * are French and Casablanca). The patient record is created from the
 * registration event, so it may answer 404 for a moment: a few tries, then
 * give up quietly (the profile page sets them too).
 */
async function keepSignUpLanguage(language: string): Promise<void> {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    try {
      await put('/api/v1/patients/me/preferences', { language, timezone: browserZone() });
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) return;
      await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
    }
  }
}

function useRegistered() {
  const { signIn } = useSession();
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return async (session: Session) => {
    setAccessToken(session.access_token);
    if (session.user.role === 'patient') {
      // The account starts in the language and zone the person signed up in
      // (the API's defaults are French and Casablanca). Best effort: the
      // profile page can set them too.
      await keepSignUpLanguage(i18n.language);
    }
    signIn(session);
    navigate(safeNext(params.get('next'), homeOf(session.user.role)), { replace: true });
  };
}

const patientSchema = person.extend({ cin: s.cin });
type PatientValues = z.infer<typeof patientSchema>;

export function Register() {
  const { t } = useTranslation();
  const done = useRegistered();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<PatientValues>({ resolver: zodResolver(patientSchema) });
  const mutation = useMutation({
    mutationFn: (v: PatientValues) => post<Session>('/api/v1/auth/register', v, COOKIE_HEADER),
    onSuccess: done,
    onError: (e) => setBanner(applyProblem(e, form.setError, s.REGISTRATION_FIELDS)),
  });
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle title={t('register.title')}>{t('register.title')}</PageTitle>
      <Card>
        <form noValidate onSubmit={form.handleSubmit((v) => mutation.mutate(v))}>
          <PersonFields
            register={form.register as unknown as UseFormRegister<Person>}
            errors={form.formState.errors}
          />
          <Field label={t('field.cin')} hint={t('field.cinHint')} error={errorText(t, form.formState.errors.cin)} {...form.register('cin')} />
          <ProblemAlert error={banner} />
          <Button type="submit" className="mt-2" disabled={mutation.isPending}>
            {t('register.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}

export function RegisterDoctor() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const done = useRegistered();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<z.input<typeof doctorSchema>, unknown, DoctorValues>({ resolver: zodResolver(doctorSchema) });
  const mutation = useMutation({
    mutationFn: (v: DoctorValues) => post<Session>('/api/v1/auth/register/doctor', { ...v, token }, COOKIE_HEADER),
    onSuccess: done,
    onError: (e) =>
      setBanner(applyProblem(e, form.setError, DOCTOR_FIELDS)),
  });
  const gone = banner instanceof ApiError && (banner.status === 404 || banner.status === 410);
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle title={t('registerDoctor.title')}>{t('registerDoctor.title')}</PageTitle>
      {!token ? (
        <Alert tone="error">{t('registerDoctor.noToken')}</Alert>
      ) : (
        <Card>
          <form noValidate onSubmit={form.handleSubmit((v) => mutation.mutate(v))}>
            <PersonFields register={form.register as unknown as UseFormRegister<Person>} errors={form.formState.errors} />
            <DoctorFields register={form.register} errors={form.formState.errors} />
            {gone ? <Alert tone="error">{t('registerDoctor.tokenGone')}</Alert> : <ProblemAlert error={banner} />}
            <Button type="submit" className="mt-2" disabled={mutation.isPending}>
              {t('register.submit')}
            </Button>
          </form>
        </Card>
      )}
    </div>
  );
}
