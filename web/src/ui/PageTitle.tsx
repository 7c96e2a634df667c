import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The screen's heading. It takes focus when the screen opens so that a
 * route change is announced and keyboard users start at the top.
 */
export function PageTitle({ children, title }: { children: ReactNode; title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
  return (
    <h1 ref={ref} tabIndex={-1} className="mb-4 text-2xl font-semibold text-slate-900 outline-none">
      {children}
    </h1>
  );
}
