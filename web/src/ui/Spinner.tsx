import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './Alert';

export function Spinner() {
  const { t } = useTranslation();
  return (
    <p role="status" className="py-6 text-center text-slate-700">
      {t('common.loading')}
    </p>
  );
}

/** Loading, error or the content of one query. */
export function QueryState<T>({
  query,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Spinner />;
  if (query.error || query.data === undefined) return <ProblemAlert error={query.error} />;
  return <>{children(query.data)}</>;
}
