/** Public face of the server: start it, load its config. */
export {
  ConfigError,
  type ConfigSources,
  configSchema,
  envOverrides,
  loadConfig,
  type PbxConfig,
  type ServerConfig,
} from './config.js';
export type { RoutePlugin, ServerContext, ServerService } from './context.js';
export { HttpError, registerErrorCodes } from './errors.js';
export type { Principal, Role, Scope } from './roles.js';
export { atLeast, mayActOn, ROLES, SCOPES } from './roles.js';
export { defineRoute, safeText } from './route.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
