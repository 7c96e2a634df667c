// `/admin/applications?status=`: the doctor applications queue. Each one
// shows its details and CV (a PDF in the browser's viewer, other formats
// downloaded) and is approved (the applicant is mailed a registration link
// valid 24 h) or rejected with a reason (mailed too).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, post } from '../../api/client';
import { q } from '../../api/queries';
import type { DoctorApplication } from '../../api/types';
import { formatDateTime, browserZone } from '../../lib/time';
import { Alert, Button, Card, Pager, ProblemAlert, QueryState, SelectField, TextAreaField } from '../../ui';
import { AdminPage } from './AdminNav';

const STATUSES = ['pending', 'approved', 'rejected', ''] as const;

export function AdminApplications() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'pending';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useQuery(q.applications(status, page));
  // A decision moves the application out of the filtered queue: say so here.
  const [decided, setDecided] = useState<{ name: string; approved: boolean } | null>(null);
  return (
    <AdminPage title={t('admin.screens.applications')}>
      <div className="max-w-xs">
        <SelectField label={t('applications.filter')} value={status} onChange={(e) => setParams({ status: e.target.value })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`applications.status.${s || 'all'}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {decided && (
        <div className="mb-3">
          <Alert tone="success">
            {decided.approved ? t('applications.approved', { name: decided.name }) : t('applications.rejected', { name: decided.name })}
          </Alert>
        </div>
      )}
      <QueryState query={list}>
        {(res) =>
          res.data.length === 0 ? (
            <p className="text-slate-700">{t('applications.none')}</p>
          ) : (
            <>
              <ul className="space-y-3">
                {res.data.map((a) => (
                  <li key={a.id}>
                    <ApplicationCard a={a} onDecided={(approved) => setDecided({ name: a.name, approved })} />
                  </li>
                ))}
              </ul>
              <Pager page={res.page} perPage={res.per_page} total={res.total} onPage={(p) => setParams({ status, page: String(p) })} />
            </>
          )
        }
      </QueryState>
    </AdminPage>
  );
}

async function cvBlob(id: number): Promise<Blob> {
  const res = await api<Response>('GET', `/api/v1/doctor-applications/${id}/cv`, { asResponse: true });
  return res.blob();
}

function extension(type: string): string {
  if (type.includes('pdf')) return 'pdf';
  if (type.includes('openxmlformats')) return 'docx';
  return 'doc';
}

function ApplicationCard({ a, onDecided }: { a: DoctorApplication; onDecided: (approved: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const zone = browserZone();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const done = (approved: boolean) => {
    onDecided(approved);
    void client.invalidateQueries({ queryKey: ['admin'] });
  };
  const approve = useMutation({
    mutationFn: () => post(`/api/v1/doctor-applications/${a.id}/approve`),
    onSuccess: () => done(true),
  });
  const reject = useMutation({
    mutationFn: () => post(`/api/v1/doctor-applications/${a.id}/reject`, { reason: reason.trim() }),
    onSuccess: () => {
      setRejecting(false);
      done(false);
    },
  });
  const cv = useMutation({
    mutationFn: async (how: 'show' | 'download') => {
      const blob = await cvBlob(a.id);
      const url = URL.createObjectURL(blob);
      // The page's policy frames nothing but itself, so a PDF opens in the
      // browser's own viewer (a new tab) rather than an iframe of a blob.
      const link = document.createElement('a');
      link.href = url;
      if (how === 'show') link.target = '_blank';
      else link.download = `cv-${a.id}.${extension(a.cv_content_type)}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
  const pdf = a.cv_content_type.includes('pdf');
  const headingId = `application-${a.id}`;
  return (
    <Card aria-labelledby={headingId} data-testid="application">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {a.name}
        </h2>
        <span className="text-sm">{t(`applications.status.${a.status}`)}</span>
      </div>
      <p className="break-all text-sm text-slate-700">{a.email}</p>
      <p className="text-xs text-slate-700">{t('applications.received', { when: formatDateTime(a.created_at, zone, i18n.language) })}</p>
      <p className="mt-2 whitespace-pre-wrap">{a.details}</p>
      {a.reject_reason && (
        <p className="mt-1 text-sm">
          <span className="font-medium">{t('applications.rejectedBecause')}:</span> {a.reject_reason}
        </p>
      )}
      {a.status === 'approved' && (
        <p className="mt-1 text-sm">
          {a.token_used
            ? t('applications.registered')
            : a.token_expires_at && t('applications.linkUntil', { when: formatDateTime(a.token_expires_at, zone, i18n.language) })}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        {pdf && (
          <Button variant="secondary" onClick={() => cv.mutate('show')} disabled={cv.isPending}>
            {t('applications.showCv')}
          </Button>
        )}
        <Button variant="secondary" onClick={() => cv.mutate('download')} disabled={cv.isPending}>
          {t('applications.downloadCv')}
        </Button>
        {a.status !== 'rejected' && !a.token_used && (
          <>
            <Button onClick={() => approve.mutate()} disabled={approve.isPending}>
              {a.status === 'approved' ? t('applications.resend') : t('applications.approve')}
            </Button>
            <Button variant="danger" onClick={() => setRejecting(true)}>
              {t('applications.reject')}
            </Button>
          </>
        )}
      </div>
      <ProblemAlert error={approve.error ?? cv.error} />
      {rejecting && (
        <form
          className="mt-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) reject.mutate();
          }}
        >
          <TextAreaField label={t('applications.reason')} required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
          <ProblemAlert error={reject.error} />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={!reason.trim() || reject.isPending}>
              {t('applications.confirmReject')}
            </Button>
            <Button variant="secondary" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
