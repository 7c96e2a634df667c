import { useTranslation } from 'react-i18next';

/** A rating shown as stars, read out as "4.5 out of 5". */
export function Stars({ value, count }: { value: number; count?: number }) {
  const { t, i18n } = useTranslation();
  const shown = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(value);
  return (
    <span className="inline-flex items-center gap-1 text-amber-800">
      <span aria-hidden="true">{'★'.repeat(Math.round(value)).padEnd(5, '☆')}</span>
      <span className="sr-only">{t('rating.outOf5', { value: shown })}</span>
      <span aria-hidden="true" className="text-sm text-slate-700">
        {shown}
      </span>
      {count !== undefined && <span className="text-sm text-slate-700">({t('rating.count', { count })})</span>}
    </span>
  );
}
