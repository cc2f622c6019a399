/** Public face of `switchboard/ami`: codec, client and transports. */

export * from './backoff.js';
export * from './client.js';
export * from './client-options.js';
export * from './digest.js';
export * from './errors.js';
export * from './event-stream.js';
export * from './message.js';
export * from './parser.js';
export * from './serializer.js';
export * from './transport.js';
export * from './transport-http.js';
export * from './transport-tcp.js';
export * from './typed/index.js';
export * from './url.js';
