/** Turns a finished call (`PbxCallRecord`) into the row the history stores. */
import type { PbxCallRecord, PbxQueueVisit } from '../pbx/index.js';
import type { HistoryRow } from '../store/index.js';

/** The dialplan's start extension: what a `Cdr` of an originated channel shows instead of the number dialled. */
const START_EXTEN = 's';

function real(exten: string | undefined): string | undefined {
  return exten && exten !== START_EXTEN ? exten : undefined;
}

/**
 * The number the call was for. The model's `destination` (first leg's dialplan extension) comes first; an
 * originated call (click-to-dial) has none on its first leg, so the other legs' extensions, the extension of a
 * `Local/<exten>@<context>` channel, and a `Cdr` whose destination is not `s` follow.
 */
export function dialledNumber(r: PbxCallRecord): string | undefined {
  const direct = real(r.destination);
  if (direct) return direct;
  for (const l of r.legs) {
    const e = real(l.exten);
    if (e) return e;
  }
  for (const l of r.legs) {
    const m = /^Local\/([^@]+)@/.exec(l.name);
    if (m && real(m[1])) return m[1];
  }
  for (const c of r.cdrs) {
    const e = real(c.destination);
    if (e) return e;
  }
  return undefined;
}

/** The visit the row summarises: the answered one, else the last one with an outcome, else the last. */
export function mainVisit(r: PbxCallRecord): PbxQueueVisit | undefined {
  return (
    r.queues.find((v) => v.outcome === 'answered') ??
    [...r.queues].reverse().find((v) => v.outcome !== undefined) ??
    r.queues.at(-1)
  );
}

/** Seconds a visit waited, exactly as `computeKpis` counts them (Asterisk's HoldTime, else left − joined). */
export function visitWait(v: PbxQueueVisit, end: number): number {
  return v.waitSeconds ?? Math.round(((v.leftAt ?? end) - v.joinedAt) / 1000);
}

/** The history row of a finished call (`route`: the router's route name, when known). */
export function toHistoryRow(r: PbxCallRecord, route?: string): HistoryRow {
  const first = r.legs[0];
  const visit = mainVisit(r);
  const outcome = visit?.outcome;
  return {
    pbx: r.server,
    linkedid: r.linkedid,
    callId: r.id,
    start: r.start,
    answer: r.answer ?? null,
    end: r.end,
    durationSeconds: r.durationSeconds,
    billableSeconds: r.billableSeconds,
    source: r.source ?? first?.callerIdNum ?? null,
    destination: dialledNumber(r) ?? null,
    callerName: null,
    disposition: r.disposition,
    hangupCause: r.hangupCause ?? null,
    hangupCauseText: r.hangupCauseText ?? null,
    queue: visit?.queue ?? null,
    agent: r.agent ?? visit?.agent ?? null,
    queueOutcome: outcome ?? null,
    waitSeconds: visit && outcome !== undefined ? visitWait(visit, r.end) : null,
    talkSeconds: visit?.talkSeconds ?? null,
    route: route ?? null,
    endedWhileDisconnected: r.endedWhileDisconnected,
    detail: JSON.stringify({
      legs: r.legs,
      dials: r.dials,
      transfers: r.transfers,
      queues: r.queues,
      cdrs: r.cdrs,
    }),
  };
}
