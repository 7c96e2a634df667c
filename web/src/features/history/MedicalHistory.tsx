// A patient's medical history and the form that adds an entry: the patient
// on their profile, a doctor with a care relationship on the patient's page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import { formatDateTime } from '../../lib/time';
import { Button, ProblemAlert, QueryState, SelectField, TextAreaField } from '../../ui';

const KINDS = ['condition', 'allergy', 'medication', 'procedure', 'note'] as const;

export function MedicalHistory({ patientId, zone }: { patientId: number; zone: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const history = useQuery(q.history(patientId));
  const [kind, setKind] = useState<string>('condition');
  const [description, setDescription] = useState('');
  const add = useMutation({
    mutationFn: () => post(`/api/v1/patients/${patientId}/medical-history`, { kind, description: description.trim() }),
    onSuccess: () => {
      setDescription('');
      void client.invalidateQueries({ queryKey: ['patient', 'history'] });
    },
  });
  return (
    <>
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
    </>
  );
}
