/** Public face of `switchboard/ami`: codec, client and transports. */
export * from './errors.js';
export * from './message.js';
export * from './parser.js';
export * from './serializer.js';
export * from './typed/index.js';
