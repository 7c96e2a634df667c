import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { q, type DoctorFilters } from '../../api/queries';
import { DoctorCard } from '../../features/doctors/DoctorCard';
import { SearchForm } from '../../features/doctors/SearchForm';
import { Card, PageTitle, QueryState } from '../../ui';

export function Doctors() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const filters: DoctorFilters = Object.fromEntries(params.entries());
  const results = useQuery(q.doctors(filters));
  const page = Number(params.get('page') ?? '1');
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    return `/doctors?${next.toString()}`;
  };
  return (
    <>
      <PageTitle title={t('doctors.title')}>{t('doctors.title')}</PageTitle>
      <Card className="mb-6">
        <SearchForm />
      </Card>
      <QueryState query={results}>
        {(res) => (
          <>
            <p role="status" className="mb-3 text-slate-700">
              {t('doctors.found', { count: res.total })}
            </p>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {res.data.map((d) => (
                <li key={d.id}>
                  <DoctorCard doctor={d} />
                </li>
              ))}
            </ul>
            <nav aria-label={t('common.pagination')} className="mt-4 flex gap-3">
              {page > 1 && <Link to={pageLink(page - 1)} className="underline">{t('common.previous')}</Link>}
              {page * res.per_page < res.total && <Link to={pageLink(page + 1)} className="underline">{t('common.next')}</Link>}
            </nav>
          </>
        )}
      </QueryState>
    </>
  );
}
