/** Signed webhooks of feeds: the SSRF guard, the signature, the durable outbox's writer and delivery engine. */

export * from './config.js';
export * from './delivery.js';
export * from './sender.js';
export * from './signature.js';
export * from './ssrf.js';
export * from './writer.js';
