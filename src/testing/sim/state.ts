/**
 * The simulated PBX's truth: endpoints, channels, bridges, queues and conferences, and the id generators that
 * make names like `PJSIP/reina-00000012`, uniqueids like `1764840123.45` and bridge UUIDs.
 */
import type { SimSignal } from './clock.js';
import type { ChannelSnapshot } from './headers.js';
import type { SimRandom } from './random.js';

/** One PJSIP endpoint (from `pjsip.conf`, or a `pjsip_wizard.conf` category once applied by a reload). */
export interface SimEndpoint {
  name: string;
  context: string;
  language: string;
  /** The inbound auth's user name and password (never listed). */
  username: string;
  secret: string;
  auth: string;
  aor: string;
  transport: string;
  callerId: string;
  /** Outbound auth (trunks). */
  outboundAuth: string;
  /** Registered contact, if any. */
  contact?: { uri: string; userAgent: string; callId: string; via: string; port: number; expires: number };
  /** `ContactStatus` events are raised for this endpoint (false for a wizard phone until `res_pjsip.so` reloads). */
  contactEvents: boolean;
  /** Where it came from. */
  source: 'pjsip.conf' | 'pjsip_wizard.conf';
}

/** One channel. */
export interface SimChannel extends ChannelSnapshot {
  /** `PJSIP` or `Local`. */
  tech: string;
  /** PJSIP endpoint name, if any. */
  endpoint?: string;
  app: string;
  appData: string;
  createdAt: number;
  answeredAt?: number;
  /** When it was destroyed. */
  endedAt?: number;
  bridge?: string;
  dnid: string;
  vars: Map<string, string>;
  /** Fires when the channel is hung up (ends its dialplan, AGI, waits). */
  gone: SimSignal;
  /** A hangup was asked with this cause (the channel's own thread then hangs up). */
  hangupCause?: number;
  /** The other half of a Local pair. */
  peer?: string;
  /** Which side created it: `dialled` channels run `AppDial`. */
  role: 'caller' | 'dialled';
  /** Held (music on hold for the other side). */
  onHold: boolean;
  /** A pending jump (Redirect, BlindTransfer) the dialplan takes after the running application. */
  redirect?: { context: string; exten: string; priority: number };
  /** Fires when a redirect interrupts the running application (a new one per application). */
  kick?: SimSignal;
  /** Active AsyncAGI session. */
  asyncAgi?: boolean;
  /** Cdr data collected so far. */
  cdr: { src: string; dst: string; dcontext: string; dstChannel: string; lastApp: string; lastData: string };
}

/** One bridge. */
export interface SimBridge {
  id: string;
  type: string;
  technology: string;
  creator: string;
  name: string;
  channels: string[];
}

/** A queue member. */
export interface SimMember {
  iface: string;
  name: string;
  stateInterface: string;
  membership: 'static' | 'dynamic';
  penalty: number;
  callsTaken: number;
  lastCall: number;
  lastPause: number;
  loginTime: number;
  inCall: boolean;
  paused: boolean;
  pausedReason: string;
  wrapuptime: number;
  ringinuse: boolean;
}

/** A queue caller. */
export interface SimQueueEntry {
  channel: string;
  joinedAt: number;
}

/** One queue. */
export interface SimQueue {
  name: string;
  strategy: string;
  timeout: number;
  members: SimMember[];
  entries: SimQueueEntry[];
  completed: number;
  abandoned: number;
  holdtime: number;
  talktime: number;
}

/** One conference. */
export interface SimConference {
  name: string;
  bridge: string;
  members: Array<{ channel: string; admin: boolean; muted: boolean; joinedAt: number }>;
}

/** The whole state plus id generators. */
export class SimState {
  /** Endpoints by name. */
  readonly endpoints = new Map<string, SimEndpoint>();
  /** Channels by name. */
  readonly channels = new Map<string, SimChannel>();
  /** Bridges by id. */
  readonly bridges = new Map<string, SimBridge>();
  /** Queues by name. */
  readonly queues = new Map<string, SimQueue>();
  /** Conferences by name. */
  readonly conferences = new Map<string, SimConference>();
  /** Global variables. */
  readonly globals = new Map<string, string>();
  /** Last device state sent per device (so a change is sent once). */
  readonly deviceStates = new Map<string, string>();
  /** Calls processed since start (CoreStatus). */
  processedCalls = 0;
  private seq = 0;
  private uid = 0;
  private readonly uidBase: number;

  constructor(
    private readonly rng: SimRandom,
    startMs: number,
  ) {
    this.uidBase = Math.floor(startMs / 1000);
  }

  /** Next channel name for a technology/resource (`PJSIP/reina-00000012`, `Local/200@oficina2-0000000b`). */
  channelName(base: string): string {
    this.seq++;
    return `${base}-${this.seq.toString(16).padStart(8, '0')}`;
  }

  /** Next uniqueid (`<start epoch>.<n>`). */
  uniqueid(): string {
    return `${this.uidBase}.${this.uid++}`;
  }

  /** A bridge UUID from the seeded generator. */
  bridgeId(): string {
    const h = () => this.rng.int(0, 0xffff).toString(16).padStart(4, '0');
    return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
  }

  /** Channels of an endpoint that are still up. */
  channelsOf(endpoint: string): SimChannel[] {
    return [...this.channels.values()].filter((c) => c.endpoint === endpoint);
  }

  /** Finds a channel by exact name. */
  channel(name: string): SimChannel | undefined {
    return this.channels.get(name);
  }
}
