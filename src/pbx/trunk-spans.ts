/** DAHDI E1/T1 spans of one server: PRI D-channels, channel alarms and span alarms (chan_dahdi.c, sig_pri.c). */
import { int, raw, str } from './fields.js';
import type { TrunkEntries, TrunkEntry } from './trunk-entries.js';
import { DAHDI_NO_ALARM, isDahdiAlarm, readDChannel } from './trunk-parse.js';
import type { PbxTrunkDChannel } from './trunk-types.js';
import type { PbxMessage } from './types.js';

/** The `dahdi-span` trunks. */
export class SpanBook {
  /** DAHDI channel number → alarm text (`No Alarm` when fine) and whether a call uses it. */
  private readonly dahdi = new Map<number, { alarm: string; inUse: boolean }>();

  /**
   * @param t the server's trunk entries
   * @param spans configured spans and their channel ranges
   */
  constructor(
    private readonly t: TrunkEntries,
    private readonly spans: ReadonlyMap<number, readonly [number, number]>,
  ) {}

  /** Applies `PRIShowSpans` and `DAHDIShowChannels` items; configured spans are always there. */
  applyDahdi(priItems: PbxMessage[], channelItems: PbxMessage[], now: number): void {
    for (const n of [...this.dahdi.keys()]) if (!this.t.fresh?.has(`ch:${n}`)) this.dahdi.delete(n);
    for (const m of channelItems) {
      const n = int(m, 'DAHDIChannel');
      if (n === undefined || m.event?.toLowerCase() !== 'dahdishowchannels' || this.t.fresh?.has(`ch:${n}`))
        continue;
      this.dahdi.set(n, { alarm: raw(m, 'Alarm') ?? DAHDI_NO_ALARM, inUse: str(m, 'Channel') !== undefined });
    }
    const pri = new Map<number, PbxTrunkDChannel[]>();
    for (const m of priItems) {
      const r = m.event?.toLowerCase() === 'prishowspans' ? readDChannel(m) : undefined;
      if (r) pri.set(r.span, [...(pri.get(r.span) ?? []), r.d]);
    }
    const seen = new Set<string>();
    for (const span of new Set([...pri.keys(), ...this.spans.keys()])) {
      const { e, added } = this.t.ensure('dahdi-span', String(span), 'up', now);
      seen.add(e.t.id);
      if (this.spans.has(span)) e.sticky = true;
      e.t.span = { ...this.spanCounts(span), dchannels: pri.get(span) ?? [] };
      if (added || !this.t.fresh?.has(e.t.id)) this.spanFromLists(e, now);
      this.t.emit(e, added);
    }
    this.t.prune('dahdi-span', seen, (e) => e.sticky === true);
  }

  /** `SpanAlarm` (`Span`, `Alarm`) or `SpanAlarmClear` (`Span`): chan_dahdi.c `handle_alarms` / `handle_clear_alarms`. */
  spanAlarm(m: PbxMessage, on: boolean, now: number): void {
    const span = int(m, 'Span');
    if (span === undefined) return;
    const alarm = raw(m, 'Alarm') ?? '';
    const { e, added } = this.t.ensure(
      'dahdi-span',
      String(span),
      on ? 'alarm' : 'up',
      now,
      on ? alarm : undefined,
    );
    e.sticky = true;
    e.t.span ??= { dchannels: [], ...this.spanCounts(span) };
    this.t.fresh?.add(e.t.id);
    if (on) {
      e.alarmBy = 'span';
      this.t.set(e, 'alarm', alarm, alarm, now);
    } else {
      e.alarmBy = undefined;
      this.t.set(e, 'up', 'Alarm cleared', DAHDI_NO_ALARM, now);
    }
    this.t.emit(e, added);
  }

  /** `Alarm` (`DAHDIChannel`, `Alarm`) or `AlarmClear` (`DAHDIChannel`) of one DAHDI channel. */
  channelAlarm(m: PbxMessage, on: boolean, now: number): void {
    const n = int(m, 'DAHDIChannel');
    if (n === undefined) return;
    this.t.fresh?.add(`ch:${n}`);
    const old = this.dahdi.get(n);
    this.dahdi.set(n, {
      alarm: on ? (raw(m, 'Alarm') ?? 'Unknown Alarm') : DAHDI_NO_ALARM,
      inUse: old?.inUse ?? false,
    });
    for (const [span, [first, last]] of this.spans) {
      if (n < first || n > last) continue;
      const e = this.t.byName('dahdi-span', String(span));
      if (!e) continue;
      this.t.fresh?.add(e.t.id);
      e.t.span = { ...this.spanCounts(span), dchannels: e.t.span?.dchannels ?? [] };
      const down = this.channelsDown(span);
      if (down !== undefined && e.t.state !== 'alarm') {
        e.alarmBy = 'channels';
        this.t.set(e, 'alarm', down, down, now);
      } else if (down === undefined && e.t.state === 'alarm' && e.alarmBy === 'channels') {
        e.alarmBy = undefined;
        this.t.set(e, 'up', 'Alarm cleared', DAHDI_NO_ALARM, now);
      }
      this.t.emit(e, false);
    }
  }

  private spanFromLists(e: TrunkEntry, now: number): void {
    const span = Number(e.t.name);
    const down = this.channelsDown(span);
    const d = e.t.span?.dchannels ?? [];
    if (down !== undefined) {
      e.alarmBy = 'channels';
      this.t.set(e, 'alarm', down, down, now);
    } else if (d.length > 0 && d.every((x) => x.alarm)) {
      e.alarmBy = 'pri';
      this.t.set(e, 'alarm', 'D-channel in alarm', 'Alarm', now);
    } else if (d.length > 0 && !d.some((x) => x.up)) {
      e.alarmBy = 'pri';
      this.t.set(e, 'alarm', 'D-channel down', 'Down', now);
    } else if (e.t.state === 'alarm' && e.alarmBy === 'span') {
      // A SpanAlarm without its clear: the lists cannot tell better (no range, no PRI) unless they show it up.
      if (d.length === 0 && !this.spans.has(span)) return;
      e.alarmBy = undefined;
      this.t.set(e, 'up', 'Up', 'Up', now);
    } else {
      e.alarmBy = undefined;
      this.t.set(e, 'up', e.t.state === 'alarm' ? 'Up' : undefined, undefined, now);
    }
  }

  /** The common alarm text when every channel of a configured span is in alarm, else undefined. */
  private channelsDown(span: number): string | undefined {
    const range = this.spans.get(span);
    if (!range) return undefined;
    let text: string | undefined;
    let any = false;
    for (let n = range[0]; n <= range[1]; n++) {
      const c = this.dahdi.get(n);
      if (!c) continue;
      any = true;
      if (!isDahdiAlarm(c.alarm)) return undefined;
      text ??= c.alarm;
    }
    return any ? text : undefined;
  }

  private spanCounts(span: number): {
    span: number;
    channelsTotal?: number;
    channelsUp?: number;
    channelsInUse?: number;
  } {
    const range = this.spans.get(span);
    if (!range) return { span };
    let total = 0;
    let up = 0;
    let inUse = 0;
    for (let n = range[0]; n <= range[1]; n++) {
      const c = this.dahdi.get(n);
      if (!c) continue;
      total++;
      if (!isDahdiAlarm(c.alarm)) up++;
      if (c.inUse) inUse++;
    }
    return { span, channelsTotal: total, channelsUp: up, channelsInUse: inUse };
  }
}
