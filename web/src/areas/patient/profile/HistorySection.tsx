import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../../api/queries';
import { MedicalHistory } from '../../../features/history/MedicalHistory';
import { useViewerZone } from '../../../lib/useZone';
import { Card } from '../../../ui';

export function HistorySection() {
  const { t } = useTranslation();
  const zone = useViewerZone();
  const patient = useQuery(q.patient());
  const pid = patient.data?.id ?? 0;
  return (
    <Card aria-labelledby="history">
      <h2 id="history" className="mb-3 text-lg font-semibold">
        {t('profile.history')}
      </h2>
      {pid > 0 && <MedicalHistory patientId={pid} zone={zone} />}
    </Card>
  );
}
