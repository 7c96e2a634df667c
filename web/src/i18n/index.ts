// One i18n setup: en, fr, ar bundled (small), the account's language first,
// then the one picked here, then the browser's, then English. <html lang>
// and dir follow the language.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import ar from './locales/ar.json';
import en from './locales/en.json';
import fr from './locales/fr.json';

export const LANGUAGES = ['en', 'fr', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
const PICKED = 'qc.lang';

export function isLanguage(l: string | null | undefined): l is Language {
  return !!l && (LANGUAGES as readonly string[]).includes(l);
}

function initial(): Language {
  const picked = localStorage.getItem(PICKED);
  if (isLanguage(picked)) return picked;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function applyToDocument(l: string): void {
  document.documentElement.lang = l;
  document.documentElement.dir = i18n.dir(l);
}

/** Switches the language (and remembers it on this device). */
export function setLanguage(l: Language): void {
  localStorage.setItem(PICKED, l);
  void i18n.changeLanguage(l);
}

i18n.on('languageChanged', applyToDocument);

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr }, ar: { translation: ar } },
  lng: initial(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyToDocument(i18n.language);

export default i18n;
