import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { q } from '../../api/queries';
import { Button, Field, SelectField } from '../../ui';

const FILTERS = ['specialty_id', 'city', 'name', 'min_rating', 'sort'] as const;

/** The doctor search; its filters live in the query string of /doctors. */
export function SearchForm() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const specialties = useQuery(q.specialties());

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const v = String(data.get(k) ?? '').trim();
      if (v) next.set(k, v);
    }
    navigate(`/doctors?${next.toString()}`);
  }

  return (
    <form role="search" aria-label={t('search.label')} onSubmit={submit} className="grid gap-x-3 sm:grid-cols-2 lg:grid-cols-6">
      <div className="lg:col-span-2">
        <Field name="name" label={t('search.name')} defaultValue={params.get('name') ?? ''} autoComplete="off" />
      </div>
      <SelectField name="specialty_id" label={t('search.specialty')} defaultValue={params.get('specialty_id') ?? ''} key={specialties.data?.length}>
        <option value="">{t('search.anySpecialty')}</option>
        {specialties.data?.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <Field name="city" label={t('search.city')} defaultValue={params.get('city') ?? ''} autoComplete="address-level2" />
      <SelectField name="min_rating" label={t('search.minRating')} defaultValue={params.get('min_rating') ?? ''}>
        <option value="">{t('search.anyRating')}</option>
        {[4, 3, 2].map((r) => (
          <option key={r} value={r}>
            {t('search.atLeast', { value: r })}
          </option>
        ))}
      </SelectField>
      <SelectField name="sort" label={t('search.sort')} defaultValue={params.get('sort') ?? 'rating'}>
        <option value="rating">{t('search.sortRating')}</option>
        <option value="name">{t('search.sortName')}</option>
      </SelectField>
      <div className="flex items-end pb-3 lg:col-span-6">
        <Button type="submit">{t('search.submit')}</Button>
      </div>
    </form>
  );
}
