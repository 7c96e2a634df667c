import { useTranslation } from 'react-i18next';
import { Button } from './Button';

/** Previous / next for a page of the API (`{page, per_page, total}`). */
export function Pager({ page, perPage, total, onPage }: { page: number; perPage: number; total: number; onPage: (p: number) => void }) {
  const { t, i18n } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  const n = new Intl.NumberFormat(i18n.language);
  return (
    <nav aria-label={t('common.pagination')} className="mt-3 flex flex-wrap items-center gap-2">
      <Button variant="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('common.previous')}
      </Button>
      <span className="text-sm">{t('common.pageOf', { page: n.format(page), pages: n.format(pages) })}</span>
      <Button variant="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('common.next')}
      </Button>
    </nav>
  );
}
