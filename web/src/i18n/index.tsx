/** Languages: English by default, Spanish complete; `?lang=` wins, then the user's saved choice. */
import { createContext, useContext } from 'react';
import { en, type MessageKey, type Messages } from './en';
import { es } from './es';

/** Languages the UI speaks. */
export const LANGUAGES = { en: 'English', es: 'Español' } as const;
/** A language code. */
export type Lang = keyof typeof LANGUAGES;

const dictionaries: Record<Lang, Messages> = { en, es };

/** True for a language the UI speaks. */
export function isLang(v: string | null | undefined): v is Lang {
  return v !== null && v !== undefined && Object.hasOwn(LANGUAGES, v);
}

/** The language asked for in the address (`?lang=es`), if any. */
export function langFromUrl(): Lang | undefined {
  const v = new URLSearchParams(location.search).get('lang');
  return isLang(v) ? v : undefined;
}

/** A translator: key + values → text (values are inserted as text, never markup). */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** Builds the translator of a language. */
export function translator(lang: Lang): Translate {
  const d = dictionaries[lang];
  return (key, values) => {
    const s = d[key] ?? en[key];
    if (!values) return s;
    return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
  };
}

/** Language state the shell provides. */
export interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

/** The i18n context. */
export const I18nContext = createContext<I18n>({ lang: 'en', t: translator('en'), setLang: () => {} });

/** The current language and translator. */
export const useI18n = (): I18n => useContext(I18nContext);
