/** Add or edit a phone: extension, name, phone type (brand + model), MAC, and the advanced Asterisk fields. */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, seg } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { BRANDS, type Phone, type PhoneWithSecrets } from './types';

/** Props of {@link PhoneForm}. */
export interface PhoneFormProps {
  /** The phone to edit; absent to add one. */
  phone?: Phone;
  onClose(): void;
  /** Called with the created phone (secrets inside) or the edited one. */
  onSaved(result: PhoneWithSecrets | Phone, created: boolean): void;
}

const FIELDS = ['extension', 'name', 'brand', 'model', 'mac', 'context', 'language', 'codecs'] as const;
type Field = (typeof FIELDS)[number];

/** The form field an API error names (`body.codecs.0` → `codecs`). */
function fieldOf(err: unknown): Field | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined;
  const name = err.field.replace(/^body\./, '').split('.')[0];
  return FIELDS.find((f) => f === name);
}

/** The dialog. */
export function PhoneForm({ phone, onClose, onSaved }: PhoneFormProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: Field; text: string }>();
  const base = useId();
  const id = (f: string) => `${base}-${f}`;
  const editing = phone !== undefined;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const codecs = text('codecs')
      .split(/[\s,]+/)
      .filter(Boolean);
    const body: Record<string, unknown> = {
      name: text('name'),
      brand: text('brand'),
      model: text('model') || null,
      ...(text('context') ? { context: text('context') } : {}),
      language: text('language') || null,
      ...(codecs.length ? { codecs } : {}),
    };
    if (editing) body.mac = text('mac') || null;
    else {
      body.extension = text('extension');
      if (text('mac')) body.mac = text('mac');
    }
    setBusy(true);
    setError(undefined);
    try {
      const r = editing
        ? await api<Phone>('PATCH', `/api/v1/phones/${seg(phone.extension)}?pbx=${seg(phone.pbx)}`, body)
        : await api<PhoneWithSecrets>('POST', '/api/v1/phones', body);
      onSaved(r, !editing);
    } catch (err) {
      const field = fieldOf(err);
      setError({ text: describeError(err, t), ...(field ? { field } : {}) });
    } finally {
      setBusy(false);
    }
  };

  const errorFor = (f: Field) =>
    error?.field === f ? (
      <span id={id(`${f}-error`)} className="error field-error">
        {error.text}
      </span>
    ) : null;
  const described = (f: Field) =>
    error?.field === f ? { 'aria-describedby': id(`${f}-error`), 'aria-invalid': true as const } : {};

  return (
    <Modal
      title={editing ? t('phones.editTitle', { extension: phone.extension }) : t('phones.addTitle')}
      onClose={onClose}
    >
      <form onSubmit={(e) => void submit(e)} aria-label={t('phones.formLabel')} noValidate>
        <div className="field">
          <label htmlFor={id('extension')}>{t('phones.extension')}</label>
          <input
            id={id('extension')}
            name="extension"
            required
            autoComplete="off"
            maxLength={40}
            defaultValue={phone?.extension}
            disabled={editing}
            {...described('extension')}
          />
          {errorFor('extension')}
        </div>
        <div className="field">
          <label htmlFor={id('name')}>{t('phones.name')}</label>
          <input
            id={id('name')}
            name="name"
            required
            autoComplete="off"
            maxLength={80}
            defaultValue={phone?.name}
            {...described('name')}
          />
          {errorFor('name')}
        </div>
        <div className="field-pair">
          <div className="field">
            <label htmlFor={id('brand')}>{t('phones.type')}</label>
            <select
              id={id('brand')}
              name="brand"
              defaultValue={phone?.brand ?? 'yealink'}
              {...described('brand')}
            >
              {BRANDS.map((b) => (
                <option key={b} value={b}>
                  {t(`phones.brand.${b}`)}
                </option>
              ))}
            </select>
            {errorFor('brand')}
          </div>
          <div className="field">
            <label htmlFor={id('model')}>{t('phones.model')}</label>
            <input
              id={id('model')}
              name="model"
              autoComplete="off"
              maxLength={40}
              placeholder="T46S"
              defaultValue={phone?.model ?? ''}
              {...described('model')}
            />
            {errorFor('model')}
          </div>
        </div>
        <div className="field">
          <label htmlFor={id('mac')}>{t('phones.mac')}</label>
          <input
            id={id('mac')}
            name="mac"
            autoComplete="off"
            maxLength={20}
            placeholder="00:15:65:AB:CD:EF"
            defaultValue={phone?.mac ?? ''}
            {...described('mac')}
          />
          {errorFor('mac')}
        </div>
        <details
          open={error?.field === 'context' || error?.field === 'language' || error?.field === 'codecs'}
        >
          <summary>{t('phones.advanced')}</summary>
          <div className="field">
            <label htmlFor={id('context')}>{t('phones.context')}</label>
            <input
              id={id('context')}
              name="context"
              autoComplete="off"
              maxLength={64}
              defaultValue={phone?.context ?? ''}
              {...described('context')}
            />
            {errorFor('context')}
          </div>
          <div className="field">
            <label htmlFor={id('language')}>{t('phones.language')}</label>
            <input
              id={id('language')}
              name="language"
              autoComplete="off"
              maxLength={5}
              placeholder="es"
              defaultValue={phone?.language ?? ''}
              {...described('language')}
            />
            {errorFor('language')}
          </div>
          <div className="field">
            <label htmlFor={id('codecs')}>{t('phones.codecs')}</label>
            <input
              id={id('codecs')}
              name="codecs"
              autoComplete="off"
              placeholder="ulaw, alaw, g722"
              defaultValue={phone?.codecs.join(', ') ?? ''}
              {...described('codecs')}
            />
            {errorFor('codecs')}
          </div>
        </details>
        {error && !error.field && (
          <p className="error" role="alert">
            {error.text}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            {t('phones.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('phones.saving') : t('phones.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
