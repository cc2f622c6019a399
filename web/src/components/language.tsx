/** The language picker (a labelled select). */
import { useId } from 'react';
import { isLang, LANGUAGES, useI18n } from '../i18n';

/** Switches the UI language (and remembers it for the signed-in user). */
export function LanguagePicker() {
  const { lang, t, setLang } = useI18n();
  const id = useId();
  return (
    <span className="lang">
      <label htmlFor={id}>{t('shell.language')}</label>
      <select
        id={id}
        value={lang}
        onChange={(e) => {
          if (isLang(e.target.value)) setLang(e.target.value);
        }}
      >
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </span>
  );
}
