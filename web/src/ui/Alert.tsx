import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/problem';

const tones = {
  info: 'border-sky-300 bg-sky-50 text-sky-950',
  success: 'border-emerald-300 bg-emerald-50 text-emerald-950',
  error: 'border-red-300 bg-red-50 text-red-950',
  warning: 'border-amber-300 bg-amber-50 text-amber-950',
};

export function Alert({ tone = 'info', children }: { tone?: keyof typeof tones; children: ReactNode }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`rounded-lg border px-3 py-2 text-sm ${tones[tone]}`}>
      {children}
    </div>
  );
}

/** What went wrong, in words a person can act on (when to retry, lost connection). */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError) {
    if (error.isOffline) return <Alert tone="warning">{t('error.offline')}</Alert>;
    if (error.status === 429 || error.status === 503) {
      return (
        <Alert tone="warning">
          {error.retryAfter ? t('error.retryIn', { seconds: error.retryAfter }) : t('error.retryLater')}
        </Alert>
      );
    }
    return <Alert tone="error">{error.detail ?? error.title}</Alert>;
  }
  return <Alert tone="error">{t('error.generic')}</Alert>;
}
