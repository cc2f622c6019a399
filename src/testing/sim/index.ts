/** Public face of the simulated PBX (re-exported by `switchboard/testing`). */

export type { SimActionHandler, SimModule, SimReply } from './action-table.js';
export type { PhoneBehaviour, SimCore, SimFastAgiTarget } from './core.js';
export {
  DAHDI_ALARMS,
  type DahdiAlarm,
  SimDahdiError,
  type SimDahdiOptions,
  type SimSpanSpec,
} from './dahdi.js';
export type { SimNotify, SimNotifyHook } from './notify.js';
export { type RegisterOptions, SimRegistrationError } from './registrar.js';
export * from './simulated-pbx.js';
export type { TrafficOptions } from './traffic.js';
export { REGISTER_TIMEOUT_MS } from './trunks.js';
