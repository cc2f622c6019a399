/** Public face of the simulated PBX (re-exported by `switchboard/testing`). */

export type { SimActionHandler, SimModule, SimReply } from './action-table.js';
export type { PhoneBehaviour, SimCore, SimFastAgiTarget } from './core.js';
export { type RegisterOptions, SimRegistrationError } from './registrar.js';
export * from './simulated-pbx.js';
export type { TrafficOptions } from './traffic.js';
