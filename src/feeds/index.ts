/** `switchboard/feeds`: per-user CRM event feeds, call events, the signed-webhook outbox and the AMI gateway. */

export * from './call-events.js';
export * from './engine.js';
export * from './errors.js';
export * from './event-names.js';
export * from './event-text.js';
export * from './filter.js';
export * from './gateway/index.js';
export * from './regex-guard.js';
export * from './regex-worker.js';
export * from './webhooks/index.js';
