// A bar chart that needs no chart library: bars are boxes laid out by flex,
// so they start on the reading side (right in Arabic) by themselves. The
// bars are hidden from screen readers; the same numbers are a table under
// "Show as a table", in the reader's locale.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatShare } from '../lib/numbers';

export interface Bar {
  label: string;
  value: number;
}

export function BarChart({ title, bars, unit }: { title: string; bars: Bar[]; unit: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const lang = i18n.language;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const total = bars.reduce((a, b) => a + b.value, 0);
  return (
    <figure aria-labelledby={id} className="min-w-0">
      <figcaption id={id} className="mb-2 font-semibold">
        {title}
      </figcaption>
      {bars.length === 0 ? (
        <p className="text-sm text-slate-700">{t('chart.empty')}</p>
      ) : (
        <>
          <div aria-hidden="true" className="space-y-1">
            {bars.map((b) => (
              <div key={b.label} className="flex items-center gap-2 text-sm">
                <span className="w-36 shrink-0 break-words leading-tight">{b.label}</span>
                <span className="flex min-w-0 flex-1 items-center gap-2">
                  <span className="block h-4 rounded bg-teal-600" style={{ width: `${(b.value / max) * 100}%`, minWidth: b.value ? '2px' : 0 }} />
                  <span className="shrink-0 tabular-nums">{formatNumber(b.value, lang)}</span>
                </span>
              </div>
            ))}
          </div>
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-teal-900 underline">{t('chart.asTable')}</summary>
            <table className="mt-1 w-full text-start">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col" className="text-start">
                    {t('chart.label')}
                  </th>
                  <th scope="col" className="text-end">
                    {unit}
                  </th>
                  <th scope="col" className="text-end">
                    {t('chart.share')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {bars.map((b) => (
                  <tr key={b.label}>
                    <th scope="row" className="text-start font-normal">
                      {b.label}
                    </th>
                    <td className="text-end tabular-nums">{formatNumber(b.value, lang)}</td>
                    <td className="text-end tabular-nums">{formatShare(b.value, total, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

/** One figure with its name, large, in the reader's locale. */
export function Stat({ label, value, testId }: { label: string; value: number | undefined; testId?: string }) {
  const { i18n } = useTranslation();
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-3">
      <dt className="text-sm text-slate-700">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value === undefined ? '…' : formatNumber(value, i18n.language)}
      </dd>
    </div>
  );
}
