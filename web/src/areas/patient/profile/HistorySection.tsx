import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../../api/client';
import { q } from '../../../api/queries';
import { formatDateTime } from '../../../lib/time';
import { useViewerZone } from '../../../lib/useZone';
import { Button, Card, ProblemAlert, QueryState, SelectField, TextAreaField } from '../../../ui';

const KINDS = ['condition', 'allergy', 'medication', 'procedure', 'note'] as const;

export function HistorySection() {
  const { t, i18n } = useTranslation();
  const zone = useViewerZone();
  const client = useQueryClient();
  const patient = useQuery(q.patient());
  const pid = patient.data?.id ?? 0;
  const history = useQuery({ ...q.history(pid), enabled: pid > 0 });
  const [kind, setKind] = useState<string>('condition');
  const [description, setDescription] = useState('');
  const add = useMutation({
    mutationFn: () => post(`/api/v1/patients/${pid}/medical-history`, { kind, description: description.trim() }),
    onSuccess: () => {
      setDescription('');
      void client.invalidateQueries({ queryKey: ['patient', 'history'] });
    },
  });
  return (
    <Card aria-labelledby="history">
      <h2 id="history" className="mb-3 text-lg font-semibold">
        {t('profile.history')}
      </h2>
      {pid > 0 && (
        <QueryState query={history}>
          {(page) =>
            page.data.length === 0 ? (
              <p className="mb-3 text-slate-700">{t('history.none')}</p>
            ) : (
              <ul className="mb-3 divide-y divide-slate-200">
                {page.data.map((h) => (
                  <li key={h.id} className="py-2">
                    <span className="font-medium">{t(`history.kind.${h.kind}`)}</span>: {h.description}
                    <span className="block text-xs text-slate-700">{formatDateTime(h.recorded_at, zone, i18n.language)}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (description.trim()) add.mutate();
        }}
      >
        <SelectField label={t('history.kindLabel')} value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`history.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextAreaField label={t('history.description')} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        <ProblemAlert error={add.error} />
        <Button type="submit" disabled={!description.trim() || add.isPending}>
          {t('history.add')}
        </Button>
      </form>
    </Card>
  );
}
