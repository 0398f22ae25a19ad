import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from './resources.ts';

export type ConsoleLanguage = keyof typeof resources;
const storageKey = 'lz.language';

function savedLanguage(): ConsoleLanguage {
  const saved = globalThis.localStorage?.getItem(storageKey);
  return saved === 'en' ? 'en' : 'zh-CN';
}

/** zh-CN first; the choice is remembered per browser. */
export function createI18n(language: ConsoleLanguage = savedLanguage()): i18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  instance.on('languageChanged', (lng) => {
    globalThis.localStorage?.setItem(storageKey, lng);
    if (typeof document !== 'undefined') document.documentElement.lang = lng;
  });
  return instance;
}

export function otherLanguage(current: string): ConsoleLanguage {
  return current === 'en' ? 'zh-CN' : 'en';
}
