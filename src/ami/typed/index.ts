/** Typed AMI API: typed actions over any runner, typed events with legacy normalisation, UpdateConfig builder. */
export { AmiActions } from './actions.js';
export { type ConfigCategory, parseConfigJson, parseGetConfig, parseListCategories } from './config.js';
export { AmiActionReplyError, AmiTypedInputError } from './errors.js';
export type * from './events.js';
export { isTypedEventName, normalizeEvent } from './normalize.js';
export type * from './params.js';
export type { CommandInfo, CoreSettings, CoreStatus, MailboxCount, QueueStatus } from './replies.js';
export * from './results.js';
export * from './results-sip.js';
export type { AmiActionRunner, AmiCallOptions, AmiPacket, AmiReply } from './runner.js';
export type { BridgeSnapshot, ChannelSnapshot } from './snapshot.js';
export { readBridge, readChannel } from './snapshot.js';
export * from './trunk-actions.js';
export * from './update-config.js';
