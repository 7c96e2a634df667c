import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../api/client';
import { applyProblem, errorText } from '../../lib/forms';
import { email, name } from '../../lib/schemas';
import { Alert, Button, Card, Field, PageTitle, ProblemAlert, TextAreaField } from '../../ui';

/** The API takes pdf/doc/docx up to 2 MB (checked again by content there). */
export const CV_MAX_BYTES = 2 * 1024 * 1024;
const schema = z.object({
  name,
  email,
  details: z.string().trim().min(1, 'required').max(5000, 'tooLong'),
  cv: z
    .custom<FileList>((v) => v instanceof FileList && v.length === 1, 'cvRequired')
    .refine((f) => f[0]?.size <= CV_MAX_BYTES, 'cvTooLarge'),
});
type Values = z.infer<typeof schema>;

export function Apply() {
  const { t } = useTranslation();
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  const m = useMutation({
    mutationFn: (v: Values) => {
      const body = new FormData();
      body.set('name', v.name);
      body.set('email', v.email);
      body.set('details', v.details);
      body.set('cv', v.cv[0]);
      return api('POST', '/api/v1/doctor-applications', { raw: body });
    },
    onError: (e) => setBanner(applyProblem(e, form.setError, ['name', 'email', 'details', 'cv'])),
  });
  const e = form.formState.errors;
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle title={t('apply.title')}>{t('apply.title')}</PageTitle>
      <Card>
        {m.isSuccess ? (
          <Alert tone="success">{t('apply.done')}</Alert>
        ) : (
          <form noValidate onSubmit={form.handleSubmit((v) => m.mutate(v))}>
            <p className="mb-3 text-slate-700">{t('apply.lead')}</p>
            <Field label={t('field.name')} autoComplete="name" error={errorText(t, e.name)} {...form.register('name')} />
            <Field label={t('field.email')} type="email" autoComplete="email" error={errorText(t, e.email)} {...form.register('email')} />
            <TextAreaField label={t('apply.details')} hint={t('apply.detailsHint')} error={errorText(t, e.details)} {...form.register('details')} />
            <Field
              label={t('apply.cv')}
              type="file"
              accept=".pdf,.doc,.docx,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              hint={t('apply.cvHint')}
              error={errorText(t, e.cv as { type?: string; message?: string } | undefined)}
              {...form.register('cv')}
            />
            <ProblemAlert error={banner} />
            <Button type="submit" disabled={m.isPending}>
              {t('apply.submit')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
