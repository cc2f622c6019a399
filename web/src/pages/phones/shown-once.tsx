/** Secrets shown once: each value in a read-only field with a copy button, and a clear warning. */
import { useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n';

/** One secret value with its label and a copy button. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard permission (plain HTTP, some browsers): the text stays selected for Ctrl+C.
      setCopied(false);
    }
  };
  return (
    <div className="field secret-field">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input id={id} ref={input} readOnly value={value} spellCheck={false} autoComplete="off" />
        <button type="button" onClick={() => void copy()} aria-label={t('phones.copyOf', { what: label })}>
          {copied ? t('phones.copied') : t('phones.copy')}
        </button>
      </div>
    </div>
  );
}

/** The warning that goes with every secret shown once. */
export function OnceWarning() {
  const { t } = useI18n();
  return (
    <p className="once-warning" role="note">
      {t('phones.onceWarning')}
    </p>
  );
}
