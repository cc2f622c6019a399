/**
 * `GET /api/v1/software` (the "Actualizar software" page's facts): each PBX's Asterisk and AMI versions, uptime
 * and last reload (`CoreSettings`, `CoreStatus`), its channel drivers (from the actions it offers, `ListCommands`:
 * no `Command` privilege needed), and Switchboard's own version.
 */
import { AmiActions } from '../../ami/index.js';
import type { RoutePlugin } from '../context.js';
import type { PbxLink } from '../pbx-links.js';
import { defineRoute } from '../route.js';
import { VERSION } from '../version.js';

/** Channel drivers, recognised by an action only that driver registers. */
const DRIVERS: ReadonlyArray<[action: string, driver: string]> = [
  ['PJSIPShowEndpoints', 'chan_pjsip'],
  ['SIPpeers', 'chan_sip'],
  ['IAXpeers', 'chan_iax2'],
  ['DAHDIShowChannels', 'chan_dahdi'],
  ['PRIShowSpans', 'chan_dahdi (PRI)'],
  ['SKINNYdevices', 'chan_skinny'],
  ['BridgeList', 'bridging core'],
];

/** What the page shows of one PBX. */
export interface PbxSoftware {
  id: string;
  name: string;
  connected: boolean;
  simulated: boolean;
  asteriskVersion?: string;
  amiVersion?: string;
  systemName?: string;
  startedAt?: string;
  reloadedAt?: string;
  uptimeSeconds?: number;
  currentCalls?: number;
  channelDrivers?: string[];
  /** Why the facts are missing (not connected, or an action refused). */
  error?: string;
}

/** Asterisk writes local `YYYY-MM-DD` + `HH:MM:SS` with no zone: kept as written (the PBX's local time). */
const localTime = (date: string, time: string) => `${date} ${time}`;

async function read(link: PbxLink): Promise<PbxSoftware> {
  const info = link.info();
  const base: PbxSoftware = {
    id: info.id,
    name: info.name,
    connected: info.connected,
    simulated: info.simulated,
  };
  if (!info.connected) return { ...base, error: `not connected (${info.state})` };
  const a = new AmiActions(link);
  try {
    const [settings, status, commands] = await Promise.all([
      a.coreSettings(),
      a.coreStatus(),
      a.listCommands().catch(() => ({})),
    ]);
    const names = new Set(Object.keys(commands).map((k) => k.toLowerCase()));
    const started = localTime(status.startupDate, status.startupTime);
    const startedMs = Date.parse(started.replace(' ', 'T'));
    return {
      ...base,
      asteriskVersion: settings.asteriskVersion,
      amiVersion: settings.amiVersion,
      ...(settings.systemName ? { systemName: settings.systemName } : {}),
      startedAt: started,
      reloadedAt: localTime(status.reloadDate, status.reloadTime),
      ...(Number.isFinite(startedMs)
        ? { uptimeSeconds: Math.max(0, Math.round((Date.now() - startedMs) / 1000)) }
        : {}),
      currentCalls: status.currentCalls,
      channelDrivers: DRIVERS.filter(([action]) => names.has(action.toLowerCase())).map(([, d]) => d),
    };
  } catch (err) {
    return { ...base, error: (err as Error).message };
  }
}

/** Software routes. */
export const softwareRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/software',
      access: 'admin',
      tag: 'system',
      summary:
        "Switchboard's version and each PBX's Asterisk version, AMI version, uptime, last reload and channel drivers",
    },
    async () => ({
      switchboard: { version: VERSION, node: process.version },
      pbx: await Promise.all([...ctx.pbx.links.values()].map(read)),
    }),
  );
};
