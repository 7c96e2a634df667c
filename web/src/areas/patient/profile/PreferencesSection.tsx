import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { put } from '../../../api/client';
import { q } from '../../../api/queries';
import type { PatientPreferences } from '../../../api/types';
import { LANGUAGES, isLanguage, setLanguage } from '../../../i18n';
import { browserZone } from '../../../lib/time';
import { Alert, Button, ProblemAlert, QueryState, SelectField, SectionCard } from '../../../ui';

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return Array.from(new Set([current, browserZone(), ...all])).sort();
}

function PreferencesForm({ prefs }: { prefs: PatientPreferences }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [language, setLang] = useState(prefs.language);
  const [timezone, setZone] = useState(prefs.timezone);
  const save = useMutation({
    mutationFn: () => put<PatientPreferences>('/api/v1/patients/me/preferences', { ...prefs, language, timezone }),
    onSuccess: () => {
      if (isLanguage(language)) setLanguage(language);
      void client.invalidateQueries({ queryKey: ['patient', 'preferences'] });
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <SelectField label={t('profile.language')} value={language} onChange={(e) => setLang(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('profile.timezone')} value={timezone} onChange={(e) => setZone(e.target.value)}>
        {zones(prefs.timezone).map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </SelectField>
      {save.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
      <ProblemAlert error={save.error} />
      <Button type="submit" className="mt-2" disabled={save.isPending}>
        {t('common.save')}
      </Button>
    </form>
  );
}

export function PreferencesSection() {
  const { t } = useTranslation();
  const prefs = useQuery(q.patientPreferences());
  return (
    <SectionCard id="prefs" title={t('profile.preferences')}>
      <QueryState query={prefs}>{(p) => <PreferencesForm prefs={p} />}</QueryState>
    </SectionCard>
  );
}
