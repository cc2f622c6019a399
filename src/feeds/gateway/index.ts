/** The AMI gateway: existing AMI programs share the server's upstream login with least privilege. */

export * from './config.js';
export * from './errors.js';
export * from './forward.js';
export * from './gateway.js';
export * from './permissions.js';
export * from './service.js';
export * from './session.js';
export * from './users.js';
export * from './wire.js';
