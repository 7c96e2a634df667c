import { useTranslation } from 'react-i18next';
import { statusTone } from './status';

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid="status" className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusTone(status)}`}>
      {t(`status.${status}`)}
    </span>
  );
}
