// `/admin/templates?key=&locale=`: the mail and SMS templates, one per key
// and language; an admin's edit replaces the built-in text. The API's
// validation answers (e.g. a template that does not parse) are shown on
// the field they name. The preview beside the form is rendered by the
// notification service's own template engine (with sample variables) as
// the admin types, and its parse errors are shown on the field too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get, post, put } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useDebounced } from '../../lib/useDebounced';
import { Alert, Button, Field, ProblemAlert, QueryState, SectionCard, SelectField, TextAreaField } from '../../ui';
import { AdminPage } from './AdminNav';

interface Template {
  key: string;
  locale: string;
  subject: string;
  body: string;
  customized: boolean;
}

export function AdminTemplates() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['admin', 'templates'], queryFn: () => get<Template[]>('/api/v1/notification-templates') });
  return (
    <AdminPage title={t('admin.screens.templates')}>
      <QueryState query={list}>{(rows) => <Editor rows={rows} />}</QueryState>
    </AdminPage>
  );
}

function Editor({ rows }: { rows: Template[] }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const keys = [...new Set(rows.map((r) => r.key))].sort();
  const key = params.get('key') ?? keys[0] ?? '';
  const locales = rows.filter((r) => r.key === key).map((r) => r.locale);
  const locale = params.get('locale') ?? locales[0] ?? 'en';
  const current = rows.find((r) => r.key === key && r.locale === locale);
  return (
    <div className="grid gap-4 lg:grid-cols-[16rem_1fr]">
      <div>
        <SelectField label={t('templates.key')} value={key} onChange={(e) => setParams({ key: e.target.value, locale })}>
          {keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('templates.locale')} value={locale} onChange={(e) => setParams({ key, locale: e.target.value })}>
          {locales.map((l) => (
            <option key={l} value={l}>
              {t(`language.${l}`, { defaultValue: l })}
            </option>
          ))}
        </SelectField>
      </div>
      {current && <TemplateForm key={`${current.key}-${current.locale}`} template={current} />}
    </div>
  );
}

function TemplateForm({ template }: { template: Template }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const save = useMutation({
    mutationFn: () => put(`/api/v1/notification-templates/${template.key}`, { locale: template.locale, subject, body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['admin', 'templates'] }),
  });
  const draft = useDebounced({ subject, body }, 400);
  const preview = useQuery({
    queryKey: ['admin', 'template-preview', template.key, template.locale, draft],
    queryFn: () =>
      post<{ subject: string; text: string }>(`/api/v1/notification-templates/${template.key}/preview`, {
        locale: template.locale,
        ...draft,
      }),
    retry: false,
    placeholderData: (previous) => previous,
  });
  const saveFields = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const previewFields = preview.error instanceof ApiError ? preview.error.fieldErrors : {};
  const fields = { subject: saveFields.subject ?? previewFields.subject, body: saveFields.body ?? previewFields.body };
  const placed = fields.subject || fields.body;
  return (
    <SectionCard id="template" title={`${template.key} · ${t(`language.${template.locale}`, { defaultValue: template.locale })}`}>
      <p className="mb-2 text-sm text-slate-700">{template.customized ? t('templates.customized') : t('templates.builtIn')}</p>
      <form
        noValidate
        dir={template.locale === 'ar' ? 'rtl' : 'ltr'}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label={t('templates.subject')} value={subject} onChange={(e) => setSubject(e.target.value)} error={fields.subject?.join(' ')} />
        <TextAreaField label={t('templates.body')} rows={10} value={body} onChange={(e) => setBody(e.target.value)} error={fields.body?.join(' ')} hint={t('templates.hint', { name: '{{ name }}' })} />
        {save.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
        {!placed && <ProblemAlert error={save.error} />}
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
      </form>
      <section aria-labelledby="template-preview" aria-live="polite" className="mt-4 rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="template-preview">
        <h3 id="template-preview" className="mb-1 font-semibold">
          {t('templates.preview')}
        </h3>
        {preview.data && !preview.error ? (
          <div dir={template.locale === 'ar' ? 'rtl' : 'ltr'}>
            <p className="font-medium" data-testid="preview-subject">
              {preview.data.subject}
            </p>
            <pre className="whitespace-pre-wrap font-sans text-sm" data-testid="preview-text">
              {preview.data.text}
            </pre>
          </div>
        ) : (
          <p className="text-sm text-slate-700">{preview.error ? t('templates.previewBroken') : t('common.loading')}</p>
        )}
      </section>
    </SectionCard>
  );
}
