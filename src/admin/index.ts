/** `switchboard/admin`: phones written to Asterisk through the manager, provisioning, and the log console. */
export * from './asterisk-writer.js';
export * from './config.js';
export * from './errors.js';
export * from './mac.js';
export * from './phone.js';
export * from './phone-service.js';
export * from './provisioning/config.js';
export * from './provisioning/digest.js';
export * from './provisioning/handler.js';
export * from './provisioning/render.js';
export * from './provisioning/templates.js';
export * from './secret.js';
export * from './seed-file.js';
export * from './status.js';
