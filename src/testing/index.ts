/** Public test kit: fakes of Asterisk (AMI server, FastAGI caller, ARI server) and transcript replay. */

export * from './ari-fake-events.js';
export * from './ari-fake-pbx.js';
export * from './ari-fake-server.js';
export * from './ari-fixtures.js';
export * from './fastagi-caller.js';
