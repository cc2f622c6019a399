/** Public face of `switchboard/pbx`: the live model of one or many Asterisk servers, call records and KPIs. */
export { deviceStateName } from './directory.js';
export { computeKpis, type KpiFact, type KpiLive, type KpiOptions, kpiFact } from './kpi.js';
export { PbxModel, type PbxModelOptions } from './model.js';
export {
  type PbxActionReply,
  type PbxAmiClient,
  PbxClosedError,
  PbxMonitor,
  type PbxMonitorEvents,
  type PbxMonitorOptions,
  type PbxServerSource,
  PbxSyncError,
} from './monitor.js';
export { PbxTrunkError } from './trunk-sync.js';
export * from './types.js';
