/** Endpoints (PJSIP / chan_sip peers), device states and ConfBridge conferences of one server. */
import { bool, type ChangeSink, compact, int, raw, str } from './fields.js';
import type { PbxConference, PbxConferenceMember, PbxEndpoint, PbxMessage } from './types.js';

/** `Not in use` (PJSIPShowEndpoints) → `NOT_INUSE` (DeviceStateChange spelling). */
export function deviceStateName(v: string): string {
  const t = v.trim().toLowerCase();
  const map: Record<string, string> = {
    'not in use': 'NOT_INUSE',
    'in use': 'INUSE',
    busy: 'BUSY',
    invalid: 'INVALID',
    unavailable: 'UNAVAILABLE',
    ringing: 'RINGING',
    'ring+inuse': 'RINGINUSE',
    'on hold': 'ONHOLD',
    unknown: 'UNKNOWN',
  };
  return map[t] ?? v.trim().toUpperCase().replace(/\s+/g, '_');
}

/** Endpoints, devices and conferences. */
export class Directory {
  private readonly endpoints = new Map<string, PbxEndpoint>();
  private readonly devices = new Map<string, string>();
  private readonly confs = new Map<
    string,
    { c: Omit<PbxConference, 'members'>; members: Map<string, PbxConferenceMember> }
  >();

  /** While a re-snapshot is in flight: rooms started (true) or ended (false), and participants that joined
   * (true) or left (false, key `room\0uniqueid`), by events newer than the ConfBridge replies. */
  private moved: Map<string, boolean> | undefined;
  /** While a re-snapshot is in flight: devices (`d:`) and endpoints (`e:`) changed by events newer than the lists. */
  private fresh: Set<string> | undefined;
  /** True while DeviceStateList / ExtensionStateList items are applied (they are older than live events). */
  listing = false;

  /** @param sink where changes go */
  constructor(private readonly sink: ChangeSink) {}

  /** A re-snapshot starts: conference events from now on win over the (older) ConfBridge replies. */
  beginSnapshot(): void {
    this.moved = new Map();
    this.fresh = new Set();
  }

  /** The re-snapshot is over. */
  endSnapshot(): void {
    this.moved = undefined;
    this.fresh = undefined;
  }

  /** Copies of every endpoint. */
  endpointList(): PbxEndpoint[] {
    return [...this.endpoints.values()].map((e) => ({ ...e, contacts: [...e.contacts] }));
  }

  /** Device states. */
  deviceMap(): Record<string, string> {
    return Object.fromEntries(this.devices);
  }

  /** Copies of every conference. */
  conferenceList(): PbxConference[] {
    return [...this.confs.values()].map((s) => ({
      ...s.c,
      members: [...s.members.values()].map((m) => ({ ...m })),
    }));
  }

  private endpoint(device: string): { e: PbxEndpoint; added: boolean } {
    const old = this.endpoints.get(device);
    if (old) return { e: old, added: false };
    const e: PbxEndpoint = {
      id: `${this.sink.server}/${device}`,
      server: this.sink.server,
      device,
      contacts: [],
    };
    const ds = this.devices.get(device);
    if (ds !== undefined) e.deviceState = ds;
    this.endpoints.set(device, e);
    return { e, added: true };
  }

  private emitEndpoint(e: PbxEndpoint, added: boolean): void {
    this.sink.push('endpoint', added ? 'add' : 'update', e.id, { ...e, contacts: [...e.contacts] });
  }

  /** PeerStatus. */
  peerStatus(m: PbxMessage): void {
    const peer = str(m, 'Peer');
    if (!peer) return;
    this.fresh?.add(`e:${peer}`);
    const { e, added } = this.endpoint(peer);
    e.status = raw(m, 'PeerStatus') ?? e.status;
    this.emitEndpoint(e, added);
  }

  /** ContactStatus (PJSIP): contacts come and go. */
  contactStatus(m: PbxMessage): void {
    const name = str(m, 'EndpointName', 'AOR');
    const uri = str(m, 'URI');
    if (!name || !uri) return;
    this.fresh?.add(`e:PJSIP/${name}`);
    const { e, added } = this.endpoint(`PJSIP/${name}`);
    const st = raw(m, 'ContactStatus') ?? '';
    const has = e.contacts.includes(uri);
    if (/^removed$/i.test(st)) e.contacts = e.contacts.filter((c) => c !== uri);
    else if (!has) e.contacts.push(uri);
    this.emitEndpoint(e, added);
  }

  /** DeviceStateChange (and DeviceStateList items). */
  deviceState(m: PbxMessage): void {
    const dev = str(m, 'Device');
    const st = str(m, 'State');
    if (!dev || !st) return;
    // A list item older than a DeviceStateChange seen during the snapshot does not undo it.
    if (this.listing && this.fresh?.has(`d:${dev}`)) return;
    if (!this.listing) this.fresh?.add(`d:${dev}`);
    this.devices.set(dev, st);
    const e = this.endpoints.get(dev);
    if (e && e.deviceState !== st) {
      e.deviceState = st;
      this.emitEndpoint(e, false);
    }
  }

  /** Applies PJSIPShowEndpoints (`EndpointList`) or SIPpeers (`PeerEntry`) items; endpoints not listed are removed. */
  applyEndpoints(items: PbxMessage[], tech: 'PJSIP' | 'SIP'): void {
    const seen = new Set<string>();
    for (const m of items) {
      const name = str(m, 'ObjectName');
      if (!name) continue;
      const device = `${tech}/${name}`;
      seen.add(device);
      // Changed by an event newer than this reply: the event wins.
      if (this.fresh?.has(`e:${device}`)) continue;
      const { e, added } = this.endpoint(device);
      if (tech === 'PJSIP') {
        const ds = str(m, 'DeviceState');
        if (ds && !this.fresh?.has(`d:${device}`)) e.deviceState = deviceStateName(ds);
        e.contacts = (raw(m, 'Contacts') ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
          .map((c) => c.slice(c.indexOf('/') + 1));
        const ac = int(m, 'ActiveChannels');
        if (ac !== undefined) e.activeChannels = ac;
        if (e.status === undefined) e.status = e.contacts.length > 0 ? 'Reachable' : 'Unreachable';
      } else {
        const st = raw(m, 'Status');
        if (st !== undefined) e.status = st;
        const ip = str(m, 'IPaddress');
        e.contacts = ip && ip !== '-none-' ? [`${ip}:${raw(m, 'IPport') ?? ''}`] : [];
      }
      this.emitEndpoint(e, added);
    }
    for (const [device, e] of this.endpoints) {
      if (!device.startsWith(`${tech}/`) || seen.has(device) || this.fresh?.has(`e:${device}`)) continue;
      this.endpoints.delete(device);
      this.sink.push('endpoint', 'remove', e.id, { ...e });
    }
  }

  private conf(name: string) {
    let s = this.confs.get(name);
    if (!s) {
      s = {
        c: { id: `${this.sink.server}/${name}`, server: this.sink.server, name, locked: false },
        members: new Map(),
      };
      this.confs.set(name, s);
      this.sink.push('conference', 'add', s.c.id, { ...s.c, members: [] });
    }
    return s;
  }

  private emitConf(s: {
    c: Omit<PbxConference, 'members'>;
    members: Map<string, PbxConferenceMember>;
  }): void {
    this.sink.push('conference', 'update', s.c.id, {
      ...s.c,
      members: [...s.members.values()].map((m) => ({ ...m })),
    });
  }

  /** ConfbridgeStart/End/Join/Leave/Mute/Unmute/Talking/Lock/Unlock. */
  conference(m: PbxMessage, ev: string): void {
    const name = str(m, 'Conference');
    if (!name) return;
    if (ev === 'confbridgeend') {
      this.moved?.set(name, false);
      const s = this.confs.get(name);
      if (!s) return;
      this.confs.delete(name);
      this.sink.push('conference', 'remove', s.c.id, { ...s.c, members: [] });
      return;
    }
    if (ev === 'confbridgestart' || !this.confs.has(name)) this.moved?.set(name, true);
    const s = this.conf(name);
    const uid = str(m, 'Uniqueid');
    if (uid && (ev === 'confbridgejoin' || ev === 'confbridgeleave'))
      this.moved?.set(`${name}\0${uid}`, ev === 'confbridgejoin');
    if (ev === 'confbridgejoin' && uid) {
      s.members.set(uid, {
        uniqueid: uid,
        channel: raw(m, 'Channel') ?? '',
        admin: bool(m, 'Admin') ?? false,
        muted: bool(m, 'Muted') ?? false,
        talking: false,
      });
    } else if (ev === 'confbridgeleave' && uid) s.members.delete(uid);
    else if ((ev === 'confbridgemute' || ev === 'confbridgeunmute') && uid) {
      const mem = s.members.get(uid);
      if (mem) mem.muted = ev === 'confbridgemute';
    } else if (ev === 'confbridgetalking' && uid) {
      const mem = s.members.get(uid);
      if (mem) mem.talking = /^on$/i.test(raw(m, 'TalkingStatus') ?? '');
    } else if (ev === 'confbridgelock' || ev === 'confbridgeunlock') s.c.locked = ev === 'confbridgelock';
    this.emitConf(s);
  }

  /** A channel hung up: it leaves any conference it was in. */
  channelGone(uid: string): void {
    this.moved?.set(`\0${uid}`, false);
    for (const s of this.confs.values()) if (s.members.delete(uid)) this.emitConf(s);
  }

  /** Applies ConfbridgeListRooms items plus the ConfbridgeList items of those rooms; rooms not listed are gone. */
  applyConferences(rooms: PbxMessage[], members: PbxMessage[]): void {
    const seen = new Set<string>();
    const moved = this.moved;
    const left = (name: string, uid: string) =>
      moved?.get(`${name}\0${uid}`) === false || moved?.get(`\0${uid}`) === false;
    for (const r of rooms) {
      const name = str(r, 'Conference');
      if (!name || moved?.get(name) === false) continue;
      seen.add(name);
      const s = this.conf(name);
      s.c.locked = bool(r, 'Locked') ?? false;
      // Participants that joined after the request are kept; the reply lists the others.
      for (const uid of [...s.members.keys()])
        if (moved?.get(`${name}\0${uid}`) !== true) s.members.delete(uid);
    }
    for (const m of members) {
      const name = str(m, 'Conference');
      const uid = str(m, 'Uniqueid') ?? str(m, 'Channel');
      if (!name || !uid || !seen.has(name) || left(name, uid)) continue;
      this.conf(name).members.set(
        uid,
        compact({
          uniqueid: uid,
          channel: raw(m, 'Channel') ?? '',
          admin: bool(m, 'Admin') ?? false,
          muted: bool(m, 'Muted') ?? false,
          talking: bool(m, 'Talking') ?? false,
        }),
      );
    }
    for (const [name, s] of this.confs) {
      if (seen.has(name)) this.emitConf(s);
      else if (moved?.get(name) === true) continue;
      else {
        this.confs.delete(name);
        this.sink.push('conference', 'remove', s.c.id, { ...s.c, members: [] }, true);
      }
    }
  }
}
