/**
 * The demo data set: 3X to IAX2, 2X to SIP, XXXXXXXX to the PSTN trunk (DAHDI, formerly Zap), 66 voicemail, 7X
 * conference; extension 33 may use 2X; user "moises silva" (PIN 123456) holds 3X, 2X, voicemail and conference.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dial targets use the router's ${var} syntax
import type { Store } from '../store/index.js';
import { DEFAULT_PIN_PARAMS, hashPin, type PinHashParams } from './pin.js';

/** The demo routes (name, pattern, application). */
export const DEMO_ROUTES = [
  { name: 'iax2', pattern: '_3X', app: 'dial', targets: [{ template: 'IAX2/${number}' }] },
  { name: 'sip', pattern: '_2X', app: 'dial', targets: [{ template: 'SIP/${number}' }] },
  { name: 'pstn', pattern: '_XXXXXXXX', app: 'dial', targets: [{ template: 'DAHDI/g1/${number}' }] },
  { name: 'voicemail', pattern: '66', app: 'voicemail', appData: { main: true } },
  { name: 'conference', pattern: '_7X', app: 'conference', appData: {} },
] as const;

/** Loads the demo data into an empty store; returns false (and changes nothing) when routes already exist. */
export async function loadDemo(
  store: Store,
  pinParams: PinHashParams = DEFAULT_PIN_PARAMS,
): Promise<boolean> {
  if ((await store.routes.list()).length > 0) return false;
  for (const [i, r] of DEMO_ROUTES.entries()) {
    await store.routes.create({
      name: r.name,
      pattern: r.pattern,
      app: r.app,
      appData: 'appData' in r ? r.appData : {},
      targets: 'targets' in r ? r.targets.map((t) => ({ ...t })) : [],
      position: i,
    });
  }
  await store.extensions.create({ number: '33', name: 'demo phone' });
  await store.permissions.grant({ route: 'sip', extension: '33' });
  await store.users.create({ name: 'moises silva', pinHash: await hashPin('123456', pinParams) });
  for (const route of ['iax2', 'sip', 'voicemail', 'conference']) {
    await store.permissions.grant({ route, user: 'moises silva' });
  }
  return true;
}
