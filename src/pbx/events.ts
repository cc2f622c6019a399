/** Event handlers of the model, modern (12+) and legacy (≤ 11) names side by side. */
import { MAX_HINTS } from './channels.js';
import { deviceStateName } from './directory.js';
import { bool, int, raw, str } from './fields.js';
import type { ModelContext } from './model.js';
import { memberInterface } from './queues.js';
import type { PbxChannel, PbxMessage } from './types.js';

/** Applies one event (already lower-cased) to the model internals. */
export function handleEvent(
  x: ModelContext,
  ev: string,
  m: PbxMessage,
  now: number,
  uid: string | undefined,
  ch: PbxChannel | undefined,
): void {
  const live = (u: string) => x.channels.map.get(u)?.ch;
  const update = () => {
    const s = uid === undefined ? undefined : x.channels.map.get(uid);
    if (s) {
      x.channels.touch(s);
      x.channels.emit(s, 'update');
    }
  };
  switch (ev) {
    case 'hangup':
      if (uid) x.hangup(uid, now, int(m, 'Cause'), raw(m, 'Cause-txt'));
      return;
    case 'newexten': {
      const app = raw(m, 'Application');
      if (ch && app !== undefined) {
        const data = raw(m, 'AppData') ?? '';
        if (ch.application !== app || ch.applicationData !== data) {
          ch.application = app;
          ch.applicationData = data;
          update();
        }
      }
      return;
    }
    case 'rename': {
      const nn = raw(m, 'Newname');
      if (ch && nn) {
        ch.name = nn;
        x.calls.updateLeg(ch);
        update();
      }
      return;
    }
    case 'dialbegin': {
      const to = str(m, 'DestUniqueid');
      if (!to) return;
      const from = raw(m, 'Channel') !== undefined ? uid : undefined;
      const lid = (from && x.calls.callOf(from)) || x.calls.callOf(to);
      if (!lid) return;
      x.calls.dialBegin(lid, {
        from,
        to,
        toName: raw(m, 'DestChannel') ?? to,
        dialString: raw(m, 'DialString'),
        startedAt: now,
      });
      return;
    }
    case 'dialstate':
    case 'dialend': {
      const to = str(m, 'DestUniqueid');
      const from = raw(m, 'Channel') !== undefined ? uid : undefined;
      const lid = (from && x.calls.callOf(from)) || (to && x.calls.callOf(to));
      if (!lid) return;
      x.calls.dialStatus(lid, to, from, raw(m, 'DialStatus') ?? '', ev === 'dialend', now, live);
      return;
    }
    case 'dial': {
      // Asterisk ≤ 11: SubEvent Begin (UniqueID → DestUniqueID) / End (UniqueID, DialStatus).
      const sub = (raw(m, 'SubEvent') ?? '').toLowerCase();
      if (!uid) return;
      if (sub === 'begin') {
        const to = str(m, 'DestUniqueID');
        if (!to) return;
        x.channels.mergeCalls(uid, to);
        const lid = x.calls.callOf(uid) ?? x.calls.callOf(to);
        if (lid)
          x.calls.dialBegin(lid, {
            from: uid,
            to,
            toName: raw(m, 'Destination') ?? to,
            dialString: raw(m, 'DialString'),
            startedAt: now,
          });
      } else if (sub === 'end') {
        const lid = x.calls.callOf(uid);
        if (lid) x.calls.dialStatus(lid, undefined, uid, raw(m, 'DialStatus') ?? '', true, now, live);
      }
      return;
    }
    case 'bridgecreate': {
      const b = str(m, 'BridgeUniqueid');
      if (b) x.bridges.ensure(b, now, raw(m, 'BridgeType'), raw(m, 'BridgeTechnology'));
      return;
    }
    case 'bridgeenter': {
      const b = str(m, 'BridgeUniqueid');
      if (!b || !uid || !ch) return;
      x.bridges.ensure(b, now, raw(m, 'BridgeType'), raw(m, 'BridgeTechnology'));
      if (ch.bridgeId && ch.bridgeId !== b) x.bridges.leave(ch.bridgeId, uid);
      x.bridges.enter(b, uid, now);
      return;
    }
    case 'bridgeleave': {
      const b = str(m, 'BridgeUniqueid');
      if (b && uid) x.bridges.leave(b, uid);
      return;
    }
    case 'bridgedestroy': {
      const b = str(m, 'BridgeUniqueid');
      if (b) x.bridges.destroy(b);
      return;
    }
    case 'bridgemerge': {
      const from = str(m, 'FromBridgeUniqueid');
      const to = str(m, 'ToBridgeUniqueid');
      if (from && to) x.bridges.merge(from, to, now);
      return;
    }
    case 'bridge':
    case 'link':
    case 'unlink': {
      // Asterisk ≤ 11: one event per channel pair (Bridgestate Link/Unlink); 1.4: Link / Unlink.
      const u1 = str(m, 'Uniqueid1');
      const u2 = str(m, 'Uniqueid2');
      if (!u1 || !u2) return;
      const state = ev === 'bridge' ? (raw(m, 'Bridgestate') ?? '').toLowerCase() : ev;
      const c1 = live(u1);
      const c2 = live(u2);
      if (state === 'link') {
        for (const [c, u] of [
          [c1, u1],
          [c2, u2],
        ] as const) {
          if (c?.bridgeId) x.bridges.destroy(c.bridgeId);
          if (c) x.bridges.enter(`link:${u1}`, u, now);
        }
        x.channels.mergeCalls(u1, u2);
      } else {
        const id = c1?.bridgeId ?? c2?.bridgeId ?? `link:${u1}`;
        x.bridges.destroy(id);
      }
      return;
    }
    case 'localbridge': {
      const a = str(m, 'LocalOneUniqueid', 'Uniqueid1');
      const b = str(m, 'LocalTwoUniqueid', 'Uniqueid2');
      if (a && b) x.channels.mergeCalls(a, b);
      return;
    }
    case 'hold':
    case 'unhold':
      if (ch) {
        const st = raw(m, 'Status');
        ch.onHold = ev === 'hold' && (st === undefined || /^on$/i.test(st));
        update();
      }
      return;
    case 'musiconholdstart':
    case 'musiconholdstop':
    case 'musiconhold':
      if (ch) {
        ch.musicOnHold =
          ev === 'musiconhold' ? /^start$/i.test(raw(m, 'State') ?? '') : ev === 'musiconholdstart';
        update();
      }
      return;
    case 'dtmfend':
    case 'dtmf': {
      if (!ch) return;
      if (ev === 'dtmf' && !bool(m, 'End')) return;
      const d = raw(m, 'Digit');
      if (d !== undefined) {
        ch.lastDtmf = { digit: d, at: now };
        update();
      }
      return;
    }
    case 'blindtransfer':
      x.calls.transfer(str(m, 'TransfererUniqueid'), {
        kind: 'blind',
        at: now,
        result: raw(m, 'Result'),
        transferer: str(m, 'TransfererUniqueid'),
        target: raw(m, 'Extension'),
      });
      return;
    case 'attendedtransfer':
      x.calls.transfer(str(m, 'OrigTransfererUniqueid', 'SecondTransfererUniqueid'), {
        kind: 'attended',
        at: now,
        result: raw(m, 'Result'),
        transferer: str(m, 'OrigTransfererUniqueid'),
        target: raw(m, 'DestType'),
      });
      return;
    case 'transfer':
      // chan_sip ≤ 11.
      x.calls.transfer(uid, {
        kind: /attended/i.test(raw(m, 'TransferType') ?? '') ? 'attended' : 'blind',
        at: now,
        transferer: uid,
        target: raw(m, 'TransferExten'),
      });
      return;
    case 'queuecallerjoin':
    case 'join': {
      const q = str(m, 'Queue');
      if (!q || !uid) return;
      x.queues.join(m, now, x.seq());
      if (x.calls.visit(uid, q, now, true)) x.calls.touch(uid);
      return;
    }
    case 'queuecallerleave':
    case 'leave': {
      const q = str(m, 'Queue');
      if (!q || !uid) return;
      x.queues.leave(q, uid);
      const v = x.calls.visit(uid, q, now);
      if (v && v.leftAt === undefined) {
        v.leftAt = now;
        v.waitSeconds ??= Math.round((now - v.joinedAt) / 1000);
        x.calls.touch(uid);
      }
      return;
    }
    case 'queuecallerabandon': {
      const q = str(m, 'Queue');
      if (!q || !uid) return;
      x.queues.abandoned(q);
      const v = x.calls.visit(uid, q, now);
      if (v) {
        v.outcome = 'abandoned';
        v.waitSeconds = int(m, 'HoldTime') ?? v.waitSeconds;
        x.calls.touch(uid);
      }
      return;
    }
    case 'varset': {
      // A Queue() timeout is reported as an abandon; QUEUESTATUS=TIMEOUT tells them apart.
      if (uid && raw(m, 'Variable') === 'QUEUESTATUS' && raw(m, 'Value') === 'TIMEOUT') {
        const lid = x.calls.callOf(uid);
        const call = lid === undefined ? undefined : x.calls.visitsOf(uid);
        const v = call?.filter((q) => q.outcome === 'abandoned').pop();
        if (v) {
          v.outcome = 'timeout';
          x.calls.touch(uid);
        }
      }
      return;
    }
    case 'agentconnect':
    case 'agentcomplete': {
      const q = str(m, 'Queue');
      const iface = memberInterface(m);
      if (!q || !uid) return;
      const v = x.calls.visit(uid, q, now);
      if (v) {
        if (ev === 'agentconnect') {
          v.outcome = 'answered';
          v.agent = iface;
          v.waitSeconds = int(m, 'HoldTime') ?? v.waitSeconds;
          v.leftAt ??= now;
        } else v.talkSeconds = int(m, 'TalkTime') ?? v.talkSeconds;
        x.calls.touch(uid);
      }
      if (iface) x.queues.inCall(q, iface, ev === 'agentconnect', ev === 'agentcomplete');
      return;
    }
    case 'queuememberstatus':
    case 'queuememberpause':
    case 'queuememberpaused':
    case 'queuememberpenalty':
    case 'queuememberringinuse':
      x.queues.member(m, 'update');
      return;
    case 'queuememberadded':
      x.queues.member(m, 'add');
      return;
    case 'queuememberremoved':
      x.queues.member(m, 'remove');
      return;
    case 'cdr':
      x.calls.cdr(uid, {
        channel: raw(m, 'Channel') ?? '',
        destinationChannel: raw(m, 'DestinationChannel') ?? '',
        source: raw(m, 'Source') ?? '',
        destination: raw(m, 'Destination') ?? '',
        disposition: raw(m, 'Disposition') ?? '',
        duration: int(m, 'Duration') ?? 0,
        billableSeconds: int(m, 'BillableSeconds') ?? 0,
        lastApplication: raw(m, 'LastApplication') ?? '',
        lastData: raw(m, 'LastData') ?? '',
        uniqueid: uid ?? '',
      });
      return;
    case 'cel': {
      // CEL CHAN_START comes before Newchannel; its LinkedID is the truth on servers whose events lack it.
      const lid = str(m, 'LinkedID');
      if (uid && lid && !ch && raw(m, 'EventName') === 'CHAN_START') {
        if (x.channels.hints.size >= MAX_HINTS)
          x.channels.hints.delete(x.channels.hints.keys().next().value as string);
        x.channels.hints.set(uid, lid);
      } else if (uid && lid && ch) x.channels.relink(uid, lid);
      return;
    }
    case 'agentcalled': {
      // Asterisk ≤ 11 has no Dial event for queue members: group the member channel with the caller by name.
      const dest = str(m, 'DestinationChannel', 'DestChannel');
      if (!uid || !dest) return;
      for (const c of x.channels.map.values()) {
        if (c.ch.name === dest) {
          x.channels.mergeCalls(uid, c.ch.uniqueid);
          break;
        }
      }
      return;
    }
    case 'peerstatus':
      x.dir.peerStatus(m);
      return;
    case 'contactstatus':
      x.dir.contactStatus(m);
      x.trunks.contactStatus(m, now);
      return;
    case 'registry':
      x.trunks.registry(m, now);
      return;
    case 'spanalarm':
    case 'spanalarmclear':
      x.trunks.spanAlarm(m, ev === 'spanalarm', now);
      return;
    case 'alarm':
    case 'alarmclear':
      x.trunks.channelAlarm(m, ev === 'alarm', now);
      return;
    case 'devicestatechange':
      x.dir.deviceState(m);
      return;
    case 'extensionstatus': {
      const ex = str(m, 'Exten');
      const st = str(m, 'StatusText');
      if (ex && st)
        x.dir.deviceState({
          get: (n) =>
            n === 'Device'
              ? `hint:${ex}@${raw(m, 'Context') ?? ''}`
              : n === 'State'
                ? deviceStateName(st)
                : undefined,
        });
      return;
    }
    default:
      if (ev.startsWith('confbridge')) x.dir.conference(m, ev);
  }
}
