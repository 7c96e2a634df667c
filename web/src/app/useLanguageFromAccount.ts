import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { q } from '../api/queries';
import { isLanguage } from '../i18n';
import { useSession } from '../session/SessionContext';

/** A signed-in patient's account language wins over the device's choice. */
export function useLanguageFromAccount(): void {
  const { user } = useSession();
  const { i18n } = useTranslation();
  const prefs = useQuery({ ...q.patientPreferences(), enabled: user?.role === 'patient' });
  const language = prefs.data?.language;
  useEffect(() => {
    if (isLanguage(language) && language !== i18n.language) void i18n.changeLanguage(language);
  }, [language, i18n]);
}
