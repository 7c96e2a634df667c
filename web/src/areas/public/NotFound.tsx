import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../ui/Button';
import { PageTitle } from '../../ui/PageTitle';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="mx-auto max-w-xl py-10 text-center">
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p className="mb-6 text-slate-700">{t('notFound.body')}</p>
      <ButtonLink to="/">{t('notFound.home')}</ButtonLink>
    </div>
  );
}
