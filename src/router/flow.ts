/**
 * The call flow: read the dialed number, find the winning route, check the caller's extension or ask for a PIN, run
 * the route's application, set channel variables, log the decision. Any failure plays the technical-failure prompt
 * and sets a failure status; a hangup at any step ends the flow cleanly and is still logged. Stateless between calls
 * (state lives in the store), so several routers can share one database.
 */
import type { Store } from '../store/index.js';
import { runApp } from './apps.js';
import { isHangupError, type RouterChannel } from './channel.js';
import { parseRouterConfig, type RouterConfig, type RouterConfigInput } from './config.js';
import { RuleError } from './errors.js';
import { verifyPin } from './pin.js';
import { type CompiledRoute, loadRuleSet, type Resolution, type RuleSet } from './rules.js';

/** Final values of `${PREFIX}STATUS` besides the Dial statuses (ANSWER, BUSY, NOANSWER, CHANUNAVAIL, …). */
export const ROUTER_STATUS = {
  ok: 'OK',
  noRoute: 'NOROUTE',
  denied: 'DENIED',
  locked: 'LOCKED',
  failed: 'FAILED',
  hangup: 'HANGUP',
} as const;

/** The minimal logger the router writes to (pino fits). Never receives a PIN. */
export interface RouterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What happened on one call (also what the call log records). */
export interface CallResult {
  readonly uniqueid: string;
  readonly caller: string;
  readonly dialed: string;
  readonly route: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly target: string | null;
  readonly user: string | null;
  readonly detail: string | null;
}

/** Options of {@link CallRouter}. */
export interface CallRouterOptions {
  /** Where the rules live and where calls are logged. */
  store: Store;
  /** Router configuration (validated; defaults fill the gaps). */
  config?: RouterConfig | RouterConfigInput;
  /** Logger (default: silent). */
  logger?: RouterLogger;
  /** Clock (tests). */
  now?: () => Date;
}

class CallerHungUp extends Error {
  readonly code = 'AGI_HANGUP';
  constructor() {
    super('the caller hung up');
  }
}

const silent: RouterLogger = { info() {}, warn() {}, error() {} };

interface CallState {
  answered: boolean;
  attempts: number;
  route: CompiledRoute | null;
  status: string;
  target: string | null;
  user: string | null;
  detail: string | null;
}

/** The call router: `handle(channel)` runs one call. Reloads compiled rules when the store's rules version changes. */
export class CallRouter {
  /** The validated configuration. */
  readonly config: RouterConfig;
  readonly #store: Store;
  readonly #log: RouterLogger;
  readonly #now: () => Date;
  #cache: { version: string; rules: Promise<RuleSet> } | undefined;

  constructor(options: CallRouterOptions) {
    this.#store = options.store;
    this.config = parseRouterConfig(options.config ?? {});
    this.#log = options.logger ?? silent;
    this.#now = options.now ?? (() => new Date());
  }

  /** The current compiled rules (one cheap version query; recompiled only after an edit). */
  async rules(): Promise<RuleSet> {
    const version = await this.#store.rulesVersion();
    if (this.#cache?.version !== version) {
      const rules = loadRuleSet(this.#store);
      this.#cache = { version, rules };
      rules.catch(() => {
        if (this.#cache?.rules === rules) this.#cache = undefined;
      });
    }
    return (this.#cache as { rules: Promise<RuleSet> }).rules;
  }

  /** A dry run of the resolution (what `router explain` prints). */
  async resolve(dialed: string, caller: string, at: Date = this.#now()): Promise<Resolution> {
    return (await this.rules()).resolve(dialed, { caller, at, all: true });
  }

  /** Runs one call on an AGI channel; never rejects (failures become a status, a prompt and a log row). */
  readonly handle = async (channel: RouterChannel): Promise<CallResult> => {
    const started = this.#now();
    const req = channel.request;
    const caller = req.callerId ?? '';
    const st: CallState = {
      answered: false,
      attempts: 0,
      route: null,
      status: ROUTER_STATUS.failed,
      target: null,
      user: null,
      detail: null,
    };
    let dialed = req.extension;
    const v = this.config.variablePrefix;
    try {
      dialed = await this.#readDialed(channel);
      const rules = await this.rules();
      const res = rules.resolve(dialed, { caller, at: started });
      const route = res.route;
      if (!route) {
        st.status = ROUTER_STATUS.noRoute;
        await this.#play(channel, st, this.config.prompts.invalid);
        await this.#finish(channel, st, true);
        return this.#log_(started, req.uniqueid, req.channel, caller, dialed, st);
      }
      st.route = route;
      await channel.setVariable(`${v}ROUTE`, route.name);
      if (route.error !== null || route.app === null)
        throw new RuleError(`route ${route.name}: ${route.error ?? 'no application'}`);
      if (!rules.authorized(route, caller)) {
        const denied = await this.#askPin(channel, st, route, caller);
        if (denied) {
          st.status = denied;
          await this.#finish(channel, st, true);
          return this.#log_(started, req.uniqueid, req.channel, caller, dialed, st);
        }
      }
      const out = await runApp(channel, route.app, { number: res.number, dialed, caller, route: route.name });
      st.status = out.status;
      st.target = out.target ?? null;
      await this.#finish(channel, st, false);
    } catch (err) {
      if (isHangupError(err) || channel.hungUp) {
        st.status = ROUTER_STATUS.hangup;
        st.detail = 'caller hung up';
        // Dead-safe: SET VARIABLE still works after the hangup.
        await this.#finish(channel, st, false).catch(() => {});
      } else {
        st.status = ROUTER_STATUS.failed;
        const code = (err as { code?: string }).code;
        st.detail = `${code ? `${code}: ` : ''}${(err as Error).message ?? String(err)}`.slice(0, 500);
        this.#log.error({ uniqueid: req.uniqueid, err: st.detail }, 'router: technical failure');
        try {
          await this.#play(channel, st, this.config.prompts.failure);
          await this.#finish(channel, st, false);
        } catch (e2) {
          if (isHangupError(e2) || channel.hungUp) {
            // The caller was gone after all (a HANGUP later than the AGI channel's grace window).
            st.status = ROUTER_STATUS.hangup;
            st.detail = 'caller hung up';
            await this.#finish(channel, st, false).catch(() => {});
          } else
            this.#log.warn({ uniqueid: req.uniqueid, err: (e2 as Error).message }, 'router: failure prompt');
        }
      }
    }
    return this.#log_(started, req.uniqueid, req.channel, caller, dialed, st);
  };

  async #readDialed(channel: RouterChannel): Promise<string> {
    const req = channel.request;
    if (!this.config.entryExtensions.includes(req.extension)) return req.extension;
    if (this.config.dialedVariable) {
      const value = await channel.getVariable(this.config.dialedVariable);
      if (value) return value;
    }
    return req.dnid ?? req.extension;
  }

  async #play(channel: RouterChannel, st: CallState, prompt: string): Promise<void> {
    if (!st.answered) {
      await channel.answer();
      st.answered = true;
    }
    await channel.streamFile(prompt, '');
  }

  async #finish(channel: RouterChannel, st: CallState, hangup: boolean): Promise<void> {
    const v = this.config.variablePrefix;
    await channel.setVariable(`${v}STATUS`, st.status);
    if (st.target !== null) await channel.setVariable(`${v}TARGET`, st.target);
    if (hangup && !channel.hungUp) await channel.hangup();
  }

  /** Asks for a PIN; returns undefined when a holder's PIN was entered, else the final status. */
  async #askPin(
    channel: RouterChannel,
    st: CallState,
    route: CompiledRoute,
    caller: string,
  ): Promise<string | undefined> {
    const { prompts, pin, lockout } = this.config;
    const key = caller || `channel:${channel.request.channel.replace(/-[0-9a-f]+$/, '')}`;
    const policy = {
      maxFailures: lockout.maxFailures,
      windowMs: lockout.windowSeconds * 1000,
      lockMs: lockout.lockSeconds * 1000,
    };
    if (await this.#store.lockouts.lockedUntil(key, this.#now())) {
      await this.#play(channel, st, prompts.locked);
      return ROUTER_STATUS.locked;
    }
    for (let attempt = 1; attempt <= pin.attempts; attempt++) {
      st.attempts = attempt;
      if (!st.answered) {
        await channel.answer();
        st.answered = true;
      }
      const { digits } = await channel.getData(prompts.pin, pin.timeoutMs, pin.maxDigits);
      // GET DATA answers -1 when the channel hangs up (the HANGUP line may still be on its way): not a wrong PIN.
      if (digits === '-1' || channel.hungUp) throw new CallerHungUp();
      const holder = await this.#findHolder(route, digits);
      if (holder) {
        st.user = holder;
        await this.#store.lockouts.clear(key);
        return undefined;
      }
      const state = await this.#store.lockouts.recordFailure(key, this.#now(), policy);
      this.#log.warn(
        { uniqueid: channel.request.uniqueid, caller, route: route.name, attempt },
        'router: wrong PIN',
      );
      await channel.streamFile(prompts.wrongPin, '');
      if (state.lockedUntil !== null && state.lockedUntil > this.#now().toISOString()) {
        await channel.streamFile(prompts.locked, '');
        return ROUTER_STATUS.locked;
      }
    }
    await channel.streamFile(prompts.goodbye, '');
    return ROUTER_STATUS.denied;
  }

  async #findHolder(route: CompiledRoute, digits: string): Promise<string | undefined> {
    if (!/^[0-9]{1,12}$/.test(digits)) return undefined;
    for (const h of route.holders) if (await verifyPin(digits, h.pinHash)) return h.name;
    return undefined;
  }

  async #log_(
    started: Date,
    uniqueid: string,
    channelName: string,
    caller: string,
    dialed: string,
    st: CallState,
  ): Promise<CallResult> {
    const result: CallResult = {
      uniqueid,
      caller,
      dialed,
      route: st.route?.name ?? null,
      status: st.status,
      attempts: st.attempts,
      target: st.target,
      user: st.user,
      detail: st.detail,
    };
    try {
      await this.#store.callLog.add({
        at: started.toISOString(),
        uniqueid,
        channel: channelName,
        caller,
        dialed,
        route: result.route,
        outcome: result.status,
        attempts: result.attempts,
        target: result.target,
        userName: result.user,
        detail: result.detail,
      });
    } catch (err) {
      this.#log.error({ uniqueid, err: (err as Error).message }, 'router: cannot write the call log');
    }
    this.#log.info(
      { uniqueid, caller, dialed, route: result.route, status: result.status },
      'router: call routed',
    );
    return result;
  }
}
