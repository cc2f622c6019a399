/**
 * Add or edit a route: pattern, caller ID, application and targets, rewrite, time windows, and who may use it
 * (extensions without a PIN, PIN holders). The API's validation words are shown next to the field they name.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, seg } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { listOf, parseTargets, parseWindows, targetsText, windowText } from './text-forms';
import { APPS, type Route, type RouterExtension, type RouterUser } from './types';

const FIELDS = [
  'name',
  'pattern',
  'callerId',
  'app',
  'targets',
  'data',
  'order',
  'rewrite',
  'failoverOn',
  'windows',
  'extensions',
  'holders',
] as const;
type Field = (typeof FIELDS)[number];
type Errors = Partial<Record<Field | 'general', string[]>>;

/** Which field a problem names: `pattern: …`, `windows[0]: …`, `target 1: …`, `dial needs at least one target`. */
function fieldOfProblem(p: string): Field | 'general' {
  const head = /^([A-Za-z]+)/.exec(p)?.[1] ?? '';
  if (head === 'target' || /target/.test(p)) return 'targets';
  if (head === 'failover') return 'failoverOn';
  if (/^[a-z]+ data:/.test(p)) return 'data';
  return FIELDS.find((f) => f === head) ?? 'general';
}

/** Splits an API error into the fields it names. */
export function errorsOf(err: unknown, text: string): Errors {
  const out: Errors = {};
  const add = (f: Field | 'general', m: string) => {
    out[f] = [...(out[f] ?? []), m];
  };
  if (err instanceof ApiError && err.field) {
    const f = err.field.replace(/^body\./, '').split(/[.[]/)[0] ?? '';
    const field = FIELDS.find((x) => x === f) ?? (f === 'routes' ? 'extensions' : undefined);
    add(field ?? 'general', text);
    return out;
  }
  if (err instanceof ApiError && err.code === 'ROUTER_INVALID_RULES') {
    const body = err.message.replace(/^route "[^"]*": /, '');
    for (const p of body.split('; ')) add(fieldOfProblem(p), p);
    return out;
  }
  add('general', text);
  return out;
}

/** Props of {@link RouteForm}. */
export interface RouteFormProps {
  route?: Route;
  extensions: RouterExtension[];
  users: RouterUser[];
  onClose(): void;
  onSaved(name: string): void;
}

/** The dialog. */
export function RouteForm({ route, extensions, users, onClose, onSaved }: RouteFormProps) {
  const { t } = useI18n();
  const base = useId();
  const id = (f: string) => `${base}-${f}`;
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const editing = route !== undefined;
  const holdingExt = route
    ? extensions.filter((e) => e.routes.includes(route.name)).map((e) => e.number)
    : [];
  const holdingUsers = route ? users.filter((u) => u.routes.includes(route.name)).map((u) => u.name) : [];

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const found: Errors = {};
    let data: Record<string, unknown> = {};
    try {
      const raw = text('data');
      data = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
    } catch {
      found.data = [t('routes.dataNotJson')];
    }
    const name = editing ? route.name : text('name');
    const wantExt = listOf(text('extensions'));
    const wantUsers = listOf(text('holders'));
    const unknownUsers = wantUsers.filter((u) => !users.some((x) => x.name === u));
    if (unknownUsers.length) found.holders = [t('routes.unknownUsers', { names: unknownUsers.join(', ') })];
    if (Object.keys(found).length) {
      setErrors(found);
      return;
    }
    const body: Record<string, unknown> = {
      pattern: text('pattern'),
      callerId: text('callerId') || null,
      app: text('app'),
      data,
      order: Number(text('order') || '0'),
      enabled: f.get('enabled') === 'on',
      rewrite: { strip: Number(text('strip') || '0'), prepend: text('prepend') },
      failoverOn: listOf(text('failoverOn')),
      targets: parseTargets(text('targets')),
      windows: parseWindows(text('windows')),
    };
    setBusy(true);
    setErrors({});
    try {
      if (editing) await api('PATCH', `/api/v1/routes/${seg(name)}`, body);
      else await api('POST', '/api/v1/routes', { name, ...body });
      // Who may use it: each extension and PIN holder keeps its other routes.
      for (const x of extensions) {
        const has = x.routes.includes(name);
        const want = wantExt.includes(x.number);
        if (has !== want)
          await api('PATCH', `/api/v1/router/extensions/${seg(x.number)}`, {
            routes: want ? [...x.routes, name] : x.routes.filter((r) => r !== name),
          });
      }
      for (const n of wantExt.filter((n) => !extensions.some((x) => x.number === n)))
        await api('POST', '/api/v1/router/extensions', { number: n, routes: [name] });
      for (const u of users) {
        const has = u.routes.includes(name);
        const want = wantUsers.includes(u.name);
        if (has !== want)
          await api('PATCH', `/api/v1/router/users/${seg(u.name)}`, {
            routes: want ? [...u.routes, name] : u.routes.filter((r) => r !== name),
          });
      }
      onSaved(name);
    } catch (err) {
      setErrors(errorsOf(err, describeError(err, t)));
    } finally {
      setBusy(false);
    }
  };

  const errorFor = (f: Field) =>
    errors[f]?.length ? (
      <span id={id(`${f}-error`)} className="error field-error">
        {errors[f]?.join('; ')}
      </span>
    ) : null;
  const described = (f: Field, hint?: boolean) => {
    const ids = [hint ? id(`${f}-hint`) : '', errors[f]?.length ? id(`${f}-error`) : ''].filter(Boolean);
    return {
      ...(ids.length ? { 'aria-describedby': ids.join(' ') } : {}),
      ...(errors[f]?.length ? { 'aria-invalid': true as const } : {}),
    };
  };
  const hint = (f: Field, text: string) => (
    <span id={id(`${f}-hint`)} className="muted small">
      {text}
    </span>
  );
  const input = (
    f: Field,
    label: string,
    o: { value?: string; placeholder?: string; hint?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={id(f)}>{label}</label>
      <input
        id={id(f)}
        name={f}
        autoComplete="off"
        defaultValue={o.value ?? ''}
        placeholder={o.placeholder}
        {...described(f, o.hint !== undefined)}
      />
      {o.hint !== undefined && hint(f, o.hint)}
      {errorFor(f)}
    </div>
  );
  const area = (f: Field, label: string, value: string, hintText: string) => (
    <div className="field">
      <label htmlFor={id(f)}>{label}</label>
      <textarea
        id={id(f)}
        name={f}
        rows={3}
        defaultValue={value}
        spellCheck={false}
        {...described(f, true)}
      />
      {hint(f, hintText)}
      {errorFor(f)}
    </div>
  );

  return (
    <Modal
      title={editing ? t('routes.editTitle', { name: route.name }) : t('routes.addTitle')}
      onClose={onClose}
    >
      <form
        onSubmit={(e) => void submit(e)}
        aria-label={t('routes.formLabel')}
        noValidate
        className="route-form"
      >
        {!editing && input('name', t('routes.name'), { placeholder: 'pstn' })}
        {input('pattern', t('routes.pattern'), {
          value: route?.pattern ?? '',
          placeholder: '_0X.',
          hint: t('routes.patternHint'),
        })}
        {input('callerId', t('routes.callerId'), {
          value: route?.callerId ?? '',
          hint: t('routes.callerIdHint'),
        })}
        <div className="field">
          <label htmlFor={id('app')}>{t('routes.app')}</label>
          <select id={id('app')} name="app" defaultValue={route?.app ?? 'dial'} {...described('app')}>
            {APPS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          {errorFor('app')}
        </div>
        {area('targets', t('routes.targets'), targetsText(route?.targets ?? []), t('routes.targetsHint'))}
        {area(
          'windows',
          t('routes.windows'),
          (route?.windows ?? []).map(windowText).join('\n'),
          t('routes.windowsHint'),
        )}
        {input('extensions', t('routes.extensions'), {
          value: holdingExt.join(', '),
          hint: t('routes.extensionsHint'),
        })}
        {input('holders', t('routes.holders'), {
          value: holdingUsers.join(', '),
          hint: users.length
            ? t('routes.holdersHint', { names: users.map((u) => u.name).join(', ') })
            : t('routes.noPinUsers'),
        })}
        <details open={Boolean(errors.data || errors.rewrite || errors.failoverOn || errors.order)}>
          <summary>{t('routes.advanced')}</summary>
          <div className="field-pair">
            {input('order', t('routes.order'), { value: String(route?.order ?? 0) })}
            <div className="field">
              <label htmlFor={id('strip')}>{t('routes.strip')}</label>
              <input
                id={id('strip')}
                name="strip"
                inputMode="numeric"
                defaultValue={route?.rewrite.strip ?? 0}
              />
            </div>
            <div className="field">
              <label htmlFor={id('prepend')}>{t('routes.prepend')}</label>
              <input
                id={id('prepend')}
                name="prepend"
                defaultValue={route?.rewrite.prepend ?? ''}
                {...described('rewrite')}
              />
              {errorFor('rewrite')}
            </div>
          </div>
          {input('failoverOn', t('routes.failoverOn'), {
            value: (route?.failoverOn ?? ['CHANUNAVAIL', 'CONGESTION']).join(', '),
            hint: t('routes.failoverHint'),
          })}
          {area('data', t('routes.data'), route ? JSON.stringify(route.data) : '{}', t('routes.dataHint'))}
        </details>
        <label className="check">
          <input type="checkbox" name="enabled" defaultChecked={route?.enabled ?? true} />{' '}
          {t('routes.enabled')}
        </label>
        {errors.general && (
          <p className="error" role="alert">
            {errors.general.join('; ')}
          </p>
        )}
        {Object.keys(errors).length > 0 && !errors.general && (
          <p className="error" role="alert">
            {t('routes.fixFields')}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            {t('routes.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('routes.saving') : t('routes.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
