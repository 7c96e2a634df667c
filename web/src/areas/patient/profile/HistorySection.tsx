import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../../api/queries';
import { MedicalHistory } from '../../../features/history/MedicalHistory';
import { useViewerZone } from '../../../lib/useZone';
import { SectionCard } from '../../../ui';

export function HistorySection() {
  const { t } = useTranslation();
  const zone = useViewerZone();
  const patient = useQuery(q.patient());
  const pid = patient.data?.id ?? 0;
  return (
    <SectionCard id="history" title={t('profile.history')}>
      {pid > 0 && <MedicalHistory patientId={pid} zone={zone} />}
    </SectionCard>
  );
}
