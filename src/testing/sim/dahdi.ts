/**
 * DAHDI E1 spans on the simulated PBX (there is no hardware here), in the shapes of Asterisk's source:
 * - `PRIShowSpans` — chan_dahdi.c `action_prishowspans` acks `Span status will follow`, then sig_pri.c
 *   `sig_pri_ami_show_spans` writes one item per D-channel: Span, DChannel, Order (`Primary`…), Active, Alarm
 *   (`Yes` when the D-channel is in alarm), Up, and the ActionID *last*; then `PRIShowSpansComplete`.
 * - `DAHDIShowChannels` — `action_dahdishowchannels` acks `DAHDI channel status will follow`, one item per B-channel
 *   (the D-channel is not a DAHDI channel): DAHDIChannel, [Channel, Uniqueid, AccountCode in a call], Signalling
 *   (`sig2str`: `ISDN PRI`, `MFC/R2`), SignallingCode, Context, DND, Alarm (`alarm2str`: `No Alarm`, `Red Alarm`…),
 *   Description, ActionID last; then `DAHDIShowChannelsComplete`.
 * - alarms — `handle_alarms` logs `Detected alarm on channel N: <alarm>` and, by `reportalarms`, publishes
 *   `publish_channel_alarm` (`Event: Alarm`, DAHDIChannel, Alarm) for every channel and `publish_span_alarm`
 *   (`Event: SpanAlarm`, Span, Alarm) once, from the channel that manages the span's alarms (its first);
 *   `handle_clear_alarms` publishes `AlarmClear` (DAHDIChannel) and `SpanAlarmClear` (Span). Both are class `system`.
 * Simplifications: no calls use the spans (traffic dials PJSIP phones only); `reportalarms` defaults to `all` here so
 * both event shapes are seen (Asterisk's own default reports channel alarms only: set `reportAlarms: 'channels'`).
 */
import { error, type ListItem, list, type SimModule } from './action-table.js';
import type { SimCore } from './core.js';
import { event } from './headers.js';

/** One simulated E1 span. */
export interface SimSpanSpec {
  /** Span number (1…). */
  span: number;
  /** `pri` (ISDN PRI, D-channel 16) or `mfcr2` (CAS, no D-channel). */
  signalling: 'pri' | 'mfcr2';
  /** First DAHDI channel number of the span (an E1 has 31 timeslots). */
  firstChannel: number;
  /** Context of the span's channels (default `from-e1`). */
  context?: string;
}

/** DAHDI options of the simulator. */
export interface SimDahdiOptions {
  /** Spans (default: span 1, ISDN PRI, channels 1–31 with the D-channel on 16). */
  spans?: SimSpanSpec[];
  /** chan_dahdi.conf `reportalarms` (default `all`). */
  reportAlarms?: 'all' | 'channels' | 'spans' | 'none';
  /** Random alarms: a span goes into Red Alarm every `meanMs` on average for `durationMs` (simulated ms). */
  randomAlarms?: { meanMs: number; durationMs: number };
}

/** Alarm texts of chan_dahdi.c `alarm2str`. */
export const DAHDI_ALARMS = [
  'Red Alarm',
  'Yellow Alarm',
  'Blue Alarm',
  'Recovering',
  'Loopback',
  'Not Open',
] as const;
/** One alarm text. */
export type DahdiAlarm = (typeof DAHDI_ALARMS)[number];

interface SpanState {
  spec: SimSpanSpec;
  alarm: DahdiAlarm | undefined;
}

const E1_SLOTS = 31;
const PRI_DCHANNEL_SLOT = 16;
const states = new WeakMap<SimCore, { spans: Map<number, SpanState>; report: string }>();

function stateOf(core: SimCore): { spans: Map<number, SpanState>; report: string } {
  let s = states.get(core);
  if (!s) {
    s = { spans: new Map(), report: 'all' };
    states.set(core, s);
  }
  return s;
}

/** The B-channels of a span (an E1 PRI gives up timeslot 16 to its D-channel). */
function bChannels(spec: SimSpanSpec): number[] {
  const out: number[] = [];
  for (let slot = 1; slot <= E1_SLOTS; slot++)
    if (spec.signalling !== 'pri' || slot !== PRI_DCHANNEL_SLOT) out.push(spec.firstChannel + slot - 1);
  return out;
}

/** Thrown for an unknown span or alarm. */
export class SimDahdiError extends Error {
  /** Stable code. */
  readonly code = 'SIM_DAHDI';
  constructor(message: string) {
    super(message);
    this.name = 'SimDahdiError';
  }
}

function spanOf(core: SimCore, span: number): SpanState {
  const s = stateOf(core).spans.get(span);
  if (!s) throw new SimDahdiError(`No DAHDI span ${span}`);
  return s;
}

/** Puts a span in alarm: every channel logs and (per `reportalarms`) publishes `Alarm`, the span `SpanAlarm`. */
export function raiseSpanAlarm(core: SimCore, span: number, alarm: DahdiAlarm): void {
  if (!(DAHDI_ALARMS as readonly string[]).includes(alarm)) throw new SimDahdiError(`Unknown alarm ${alarm}`);
  const s = spanOf(core, span);
  if (s.alarm === alarm) return;
  s.alarm = alarm;
  const report = stateOf(core).report;
  for (const ch of bChannels(s.spec)) {
    core.log.warning(undefined, 'chan_dahdi.c', `Detected alarm on channel ${ch}: ${alarm}`);
    if (report === 'all' || report === 'channels')
      core.emit(
        event('Alarm', 'system,all', [
          ['DAHDIChannel', String(ch)],
          ['Alarm', alarm],
        ]),
      );
  }
  if (report === 'all' || report === 'spans')
    core.emit(
      event('SpanAlarm', 'system,all', [
        ['Span', String(span)],
        ['Alarm', alarm],
      ]),
    );
}

/** Clears a span's alarm: `AlarmClear` per channel and `SpanAlarmClear` (per `reportalarms`). */
export function clearSpanAlarm(core: SimCore, span: number): void {
  const s = spanOf(core, span);
  if (s.alarm === undefined) return;
  s.alarm = undefined;
  const report = stateOf(core).report;
  for (const ch of bChannels(s.spec)) {
    core.log.notice(undefined, 'chan_dahdi.c', `Alarm cleared on channel ${ch}`);
    if (report === 'all' || report === 'channels')
      core.emit(event('AlarmClear', 'system,all', [['DAHDIChannel', String(ch)]]));
  }
  if (report === 'all' || report === 'spans')
    core.emit(event('SpanAlarmClear', 'system,all', [['Span', String(span)]]));
}

/** The spans and their alarm (for white-box tests and the demo). */
export function spanStates(
  core: SimCore,
): Array<{ span: number; signalling: string; alarm: string | undefined }> {
  return [...stateOf(core).spans.values()].map((s) => ({
    span: s.spec.span,
    signalling: s.spec.signalling,
    alarm: s.alarm,
  }));
}

function randomAlarms(core: SimCore, o: { meanMs: number; durationMs: number }): void {
  const spans = [...stateOf(core).spans.keys()];
  if (spans.length === 0 || !(o.meanMs > 0)) return;
  const next = () => {
    core.clock.after(core.rng.exp(o.meanMs), () => {
      if (core.closing) return;
      const span = core.rng.pick(spans);
      raiseSpanAlarm(core, span, 'Red Alarm');
      core.clock.after(o.durationMs, () => {
        if (!core.closing) clearSpanAlarm(core, span);
        next();
      });
    });
  };
  next();
}

/** `PRIShowSpans` / `DAHDIShowChannels` and the span alarms. */
export function dahdiModule(opts: SimDahdiOptions = {}): SimModule {
  const specs = opts.spans ?? [{ span: 1, signalling: 'pri', firstChannel: 1 }];
  return {
    name: 'chan_dahdi',
    install: (core) => {
      const s = stateOf(core);
      s.report = opts.reportAlarms ?? 'all';
      for (const spec of specs) s.spans.set(spec.span, { spec, alarm: undefined });
      if (opts.randomAlarms) randomAlarms(core, opts.randomAlarms);
    },
    actions: {
      PRIShowSpans: (core, a) => {
        const want = Number(a.get('Span') ?? '0');
        if (!Number.isInteger(want) || want < 0) return error(a, 'Invalid Span');
        const items: ListItem[] = [];
        for (const s of stateOf(core).spans.values()) {
          if (s.spec.signalling !== 'pri' || (want > 0 && s.spec.span !== want)) continue;
          items.push({
            idLast: true,
            pairs: [
              ['Event', 'PRIShowSpans'],
              ['Span', String(s.spec.span)],
              ['DChannel', String(s.spec.firstChannel + PRI_DCHANNEL_SLOT - 1)],
              ['Order', 'Primary'],
              ['Active', 'Yes'],
              ['Alarm', s.alarm ? 'Yes' : 'No'],
              ['Up', s.alarm ? 'No' : 'Yes'],
            ],
          });
        }
        return list(a, 'Span status will follow', items, 'PRIShowSpansComplete');
      },
      DAHDIShowChannels: (core, a) => {
        const wanted = Number(a.get('DAHDIChannel') ?? '0');
        const items: ListItem[] = [];
        for (const s of stateOf(core).spans.values())
          for (const ch of bChannels(s.spec)) {
            if (wanted > 0 && ch !== wanted) continue;
            items.push({
              idLast: true,
              pairs: [
                ['Event', 'DAHDIShowChannels'],
                ['DAHDIChannel', String(ch)],
                ['Signalling', s.spec.signalling === 'pri' ? 'ISDN PRI' : 'MFC/R2'],
                ['SignallingCode', s.spec.signalling === 'pri' ? '128' : '65536'],
                ['Context', s.spec.context ?? 'from-e1'],
                ['DND', 'Disabled'],
                ['Alarm', s.alarm ?? 'No Alarm'],
                ['Description', ''],
              ],
            });
          }
        return list(a, 'DAHDI channel status will follow', items, 'DAHDIShowChannelsComplete');
      },
    },
  };
}
