/** Public face of `switchboard/agi`: codec, AgiChannel, FastAGI server and router, stdio AGI, AsyncAGI. */

export * from './allow-list.js';
export * from './asyncagi.js';
export * from './channel.js';
export * from './channel-core.js';
export * from './channel-results.js';
export * from './command.js';
export * from './errors.js';
export * from './fastagi-server.js';
export * from './hangup-grace.js';
export * from './metrics.js';
export * from './reader.js';
export * from './reply.js';
export * from './request.js';
export * from './router.js';
export * from './run-handler.js';
export * from './stdio.js';
