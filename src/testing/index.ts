/** Public test kit: fakes of Asterisk (AMI server, FastAGI caller, ARI server) and transcript replay. */

export * from './ami-ajam-server.js';
export * from './ami-fake-session.js';
export * from './ami-replay.js';
export * from './ami-reply.js';
export * from './ami-server.js';
export * from './ari-fake-events.js';
export * from './ari-fake-pbx.js';
export * from './ari-fake-server.js';
export * from './ari-fixtures.js';
export * from './fastagi-caller.js';
export * from './sim/index.js';
