/**
 * Resync and reboot phones with a SIP NOTIFY through the manager: `PJSIPNotify` (`Endpoint`, `Variable: Event=…`)
 * on PJSIP, `SIPnotify` (`Channel`, `Variable`) on chan_sip, each brand's event (`notifyFor`). Asterisk answers
 * `NOTIFY sent` and never says what the phone did: the result returned is Asterisk's, and the provisioning fetch
 * that follows shows in the phone's fetch log. On PJSIP, res_pjsip_notify declines to load without
 * `pjsip_notify.conf` and `PJSIPNotify` is then an unknown action: detected with `ListCommands` before sending, and
 * fixed by {@link PhoneNotifier.createNotifyConfig} (`CreateConfig` + `UpdateConfig` + `ModuleLoad`).
 */

import type { AmiParams } from '../ami/typed/runner.js';
import {
  NOTIFY_CONF_SECTIONS,
  notifyFor,
  type PhoneBrand,
  type PhoneNotifyKind,
  pjsipNotifyParams,
  sipNotifyParams,
} from '../ami/typed/trunk-actions.js';
import { type AmiRunner, detectDriver, type SipDriver } from './asterisk-writer.js';
import { AdminError } from './errors.js';
import type { PhoneView } from './phone-service.js';

/** Brands with a known resync / reboot NOTIFY (the others are refused rather than guessed). */
export const NOTIFY_BRANDS: readonly PhoneBrand[] = ['yealink', 'snom', 'polycom', 'grandstream'];

/** Why a NOTIFY could not be sent (`ADMIN_NOTIFY_UNAVAILABLE`: res_pjsip_notify is not loaded; 409). */
export class NotifyUnavailableError extends Error {
  /** Stable code. */
  readonly code = 'ADMIN_NOTIFY_UNAVAILABLE';
  /** @param pbx the PBX id */
  constructor(readonly pbx: string) {
    super(
      `PBX ${pbx}: PJSIPNotify is not available — res_pjsip_notify declined to load because pjsip_notify.conf is missing. ` +
        'Create it (POST /api/v1/phones/notify-config does CreateConfig + UpdateConfig + ModuleLoad res_pjsip_notify.so), ' +
        'or add the file by hand and run "module load res_pjsip_notify.so".',
    );
    this.name = 'NotifyUnavailableError';
  }
}

/** HTTP statuses of this file's codes. */
export const NOTIFY_ERROR_STATUS = { ADMIN_NOTIFY_UNAVAILABLE: 409 } as const;

/** What one NOTIFY request gave. */
export interface NotifyOutcome {
  pbx: string;
  extension: string;
  brand: string;
  kind: PhoneNotifyKind;
  /** `PJSIPNotify` or `SIPnotify`. */
  action: string;
  /** The headers sent (besides ActionID). */
  params: Record<string, string | string[]>;
  /** Asterisk's `Response` and `Message`. */
  ok: boolean;
  response: string;
  message: string;
  /** What the brand does with it (from `notifyFor`). */
  note: string;
}

/** One step of {@link PhoneNotifier.createNotifyConfig}. */
export interface NotifyConfigStep {
  action: string;
  ok: boolean;
  message: string;
}

/** What the notifier needs. */
export interface PhoneNotifierOptions {
  /** The AMI runner of a PBX by id. */
  pbx: (id?: string) => { id: string; ami: AmiRunner };
}

function brandOf(p: PhoneView): PhoneBrand {
  if (!(NOTIFY_BRANDS as readonly string[]).includes(p.brand))
    throw new AdminError(
      'ADMIN_INVALID',
      `brand: no known resync/reboot NOTIFY for ${p.brand} (known: ${NOTIFY_BRANDS.join(', ')})`,
      'brand',
    );
  return p.brand as PhoneBrand;
}

function flat(p: AmiParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return out;
}

/** Sends resync / reboot NOTIFYs and repairs a missing `pjsip_notify.conf`. */
export class PhoneNotifier {
  readonly #o: PhoneNotifierOptions;
  readonly #drivers = new Map<string, SipDriver>();

  constructor(o: PhoneNotifierOptions) {
    this.#o = o;
  }

  async #driver(pbx: string, ami: AmiRunner, phone?: PhoneView): Promise<SipDriver> {
    if (phone?.driver) return phone.driver;
    let d = this.#drivers.get(pbx);
    if (!d) {
      d = await detectDriver(ami);
      this.#drivers.set(pbx, d);
    }
    return d;
  }

  /** Whether `PJSIPNotify` exists on a PBX (`ListCommands`). */
  async notifyAvailable(pbx?: string): Promise<{ pbx: string; available: boolean }> {
    const { id, ami } = this.#o.pbx(pbx);
    const r = await ami.action('ListCommands');
    const available = r.message.headers.some(([k]) => k.toLowerCase() === 'pjsipnotify');
    return { pbx: id, available };
  }

  /** Sends each phone its brand's NOTIFY (phones of one PBX or several); refuses before sending when PJSIP lacks it. */
  async notify(phones: readonly PhoneView[], kind: PhoneNotifyKind): Promise<NotifyOutcome[]> {
    for (const p of phones) brandOf(p);
    const checked = new Set<string>();
    const out: NotifyOutcome[] = [];
    for (const p of phones) {
      const { id, ami } = this.#o.pbx(p.pbx);
      const driver = await this.#driver(id, ami, p);
      if (driver === 'pjsip' && !checked.has(id)) {
        if (!(await this.notifyAvailable(id)).available) throw new NotifyUnavailableError(id);
        checked.add(id);
      }
      const n = notifyFor(brandOf(p), kind);
      const action = driver === 'pjsip' ? 'PJSIPNotify' : 'SIPnotify';
      const params =
        driver === 'pjsip'
          ? pjsipNotifyParams({ endpoint: p.extension }, { variables: n.variables })
          : sipNotifyParams(p.extension, n.variables);
      const r = await ami.action(action, params);
      out.push({
        pbx: id,
        extension: p.extension,
        brand: p.brand,
        kind,
        action,
        params: flat(params),
        ok: r.ok,
        response: r.message.get('Response') ?? '',
        message: r.message.get('Message') ?? '',
        note: n.note,
      });
    }
    return out;
  }

  /**
   * Creates `pjsip_notify.conf` with every brand's sections (`NOTIFY_CONF_SECTIONS`) and loads res_pjsip_notify:
   * `CreateConfig` (an existing file is kept), `UpdateConfig` adding only the missing sections, then `ModuleLoad`.
   */
  async createNotifyConfig(
    pbx?: string,
  ): Promise<{ pbx: string; steps: NotifyConfigStep[]; available: boolean }> {
    const { id, ami } = this.#o.pbx(pbx);
    const steps: NotifyConfigStep[] = [];
    const run = async (action: string, params: AmiParams) => {
      const r = await ami.action(action, params);
      const step = { action, ok: r.ok, message: r.message.get('Message') ?? r.message.get('Error') ?? '' };
      steps.push(step);
      return { r, step };
    };
    const created = await run('CreateConfig', { Filename: 'pjsip_notify.conf' });
    if (!created.r.ok && created.step.message !== 'File exists')
      throw new AdminError('ADMIN_PBX_REFUSED', `CreateConfig pjsip_notify.conf: ${created.step.message}`);
    const cats = await ami.action('ListCategories', { Filename: 'pjsip_notify.conf' });
    const have = new Set(cats.message.headers.filter(([k]) => k.startsWith('Category-')).map(([, v]) => v));
    const params: AmiParams = { SrcFilename: 'pjsip_notify.conf', DstFilename: 'pjsip_notify.conf' };
    let n = 0;
    const add = (k: string, v: string) => {
      params[`${k}-${String(n).padStart(6, '0')}`] = v;
    };
    for (const s of NOTIFY_CONF_SECTIONS) {
      if (have.has(s.section)) continue;
      add('Action', 'NewCat');
      add('Cat', s.section);
      n++;
      for (const [k, v] of s.lines) {
        add('Action', 'Append');
        add('Cat', s.section);
        add('Var', k);
        add('Value', v);
        n++;
      }
    }
    if (n > 0) {
      const u = await run('UpdateConfig', params);
      if (!u.r.ok)
        throw new AdminError('ADMIN_PBX_REFUSED', `UpdateConfig pjsip_notify.conf: ${u.step.message}`);
    }
    const loaded = await run('ModuleLoad', { LoadType: 'load', Module: 'res_pjsip_notify.so' });
    // Already loaded (the file existed): a reload picks up the new sections.
    if (!loaded.r.ok) await run('ModuleLoad', { LoadType: 'reload', Module: 'res_pjsip_notify.so' });
    const { available } = await this.notifyAvailable(id);
    return { pbx: id, steps, available };
  }
}
