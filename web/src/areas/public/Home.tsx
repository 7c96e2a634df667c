import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../api/queries';
import { DoctorCard } from '../../features/doctors/DoctorCard';
import { SearchForm } from '../../features/doctors/SearchForm';
import { Card, PageTitle, QueryState } from '../../ui';

export function Home() {
  const { t } = useTranslation();
  const featured = useQuery(q.doctors({ sort: 'rating' }));
  return (
    <>
      <PageTitle>{t('home.title')}</PageTitle>
      <p className="mb-4 text-slate-700">{t('home.lead')}</p>
      <Card className="mb-6">
        <SearchForm />
      </Card>
      <h2 className="mb-3 text-xl font-semibold">{t('home.featured')}</h2>
      <QueryState query={featured}>
        {(page) => (
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {page.data.slice(0, 6).map((d) => (
              <li key={d.id}>
                <DoctorCard doctor={d} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </>
  );
}
