import { useTranslation } from 'react-i18next';
import { Alert } from '../ui/Alert';
import { ButtonLink } from '../ui/Button';

/** A screen that failed to load (a chunk missing offline, a bug). */
export function RouteError() {
  const { t } = useTranslation();
  return (
    <main className="mx-auto max-w-xl p-6">
      <Alert tone="error">{t('error.screen')}</Alert>
      <p className="mt-4">
        <ButtonLink to="/">{t('nav.home')}</ButtonLink>
      </p>
    </main>
  );
}
