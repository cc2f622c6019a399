/**
 * `AmiActions`: one typed method per common AMI action over any `AmiActionRunner` (e.g. an `AmiClient`). Replies are
 * parsed into typed objects; `Response: Error` rejects with `AmiActionReplyError` (an `AmiActionError`). Anything not
 * covered here stays reachable untyped through `call()` or the runner itself. This file: status, variables, hints,
 * queues, configuration, AstDB, SIP, AGI and WaitEvent; session and call control are in actions-call.ts.
 */

import { AmiCallActions } from './actions-call.js';
import { type ConfigCategory, parseConfigJson, parseGetConfig, parseListCategories } from './config.js';
import { AmiActionReplyError } from './errors.js';
import { bool, num, opt, req } from './fields.js';
import type { QueueAddParams, QueuePauseParams } from './params.js';
import type { CoreSettings, CoreStatus, MailboxCount, QueueStatus } from './replies.js';
import {
  type CoreShowChannel,
  parseCoreShowChannel,
  parseQueueEntry,
  parseQueueMember,
  parseQueueParams,
  parseQueueSummary,
  parseStatusChannel,
  type QueueSummary,
  type StatusChannel,
} from './results.js';
import {
  type ExtensionState,
  type PjsipContact,
  type PjsipEndpoint,
  parseExtensionState,
  parsePjsipContact,
  parsePjsipEndpoint,
  parseSipPeer,
  type SipPeer,
} from './results-sip.js';
import type { AmiCallOptions, AmiPacket } from './runner.js';
import type { UpdateConfig } from './update-config.js';

/** Typed AMI actions over a runner (an `AmiClient` or a test double). */
export class AmiActions extends AmiCallActions {
  /** Every channel (`CoreShowChannel` items). */
  async coreShowChannels(opts?: AmiCallOptions): Promise<CoreShowChannel[]> {
    return (await this.call('CoreShowChannels', undefined, opts)).items
      .filter(isEvent('CoreShowChannel'))
      .map(parseCoreShowChannel);
  }

  /** Core start/reload times and call counters. */
  async coreStatus(): Promise<CoreStatus> {
    const m = (await this.call('CoreStatus')).message;
    return {
      startupDate: req(m, 'CoreStartupDate'),
      startupTime: req(m, 'CoreStartupTime'),
      reloadDate: req(m, 'CoreReloadDate'),
      reloadTime: req(m, 'CoreReloadTime'),
      currentCalls: num(m.get('CoreCurrentCalls')) ?? 0,
      processedCalls: num(m.get('CoreProcessedCalls')),
    };
  }

  /** Versions and core settings. */
  async coreSettings(): Promise<CoreSettings> {
    const m = (await this.call('CoreSettings')).message;
    return {
      amiVersion: req(m, 'AMIversion'),
      asteriskVersion: req(m, 'AsteriskVersion'),
      systemName: opt(m, 'SystemName'),
      maxCalls: num(m.get('CoreMaxCalls')),
      maxLoadAvg: num(m.get('CoreMaxLoadAvg')),
      runUser: opt(m, 'CoreRunUser'),
      runGroup: opt(m, 'CoreRunGroup'),
      maxFileHandles: num(m.get('CoreMaxFilehandles')),
      realTimeEnabled: bool(m.get('CoreRealTimeEnabled')),
      cdrEnabled: bool(m.get('CoreCDRenabled')),
      httpEnabled: bool(m.get('CoreHTTPenabled')),
    };
  }

  /** Channel status (all channels, or one), with requested variables. */
  async status(
    p: { channel?: string; variables?: string[]; allVariables?: boolean } = {},
  ): Promise<StatusChannel[]> {
    const r = await this.call('Status', {
      Channel: p.channel,
      Variables: p.variables?.join(','),
      AllVariables: p.allVariables,
    });
    return r.items.filter(isEvent('Status')).map(parseStatusChannel);
  }

  /** A channel or global variable (or function); an empty/unset value resolves undefined. */
  async getvar(variable: string, channel?: string): Promise<string | undefined> {
    return opt((await this.call('Getvar', { Variable: variable, Channel: channel })).message, 'Value');
  }

  /** Sets a channel or global variable. */
  async setvar(variable: string, value: string, channel?: string): Promise<void> {
    await this.call('Setvar', { Variable: variable, Value: value, Channel: channel });
  }

  /** Hint state of one extension. */
  async extensionState(exten: string, context?: string): Promise<ExtensionState> {
    return parseExtensionState(
      (await this.call('ExtensionState', { Exten: exten, Context: context })).message,
    );
  }

  /** Hint state of every extension with a hint. */
  async extensionStateList(): Promise<ExtensionState[]> {
    return (await this.call('ExtensionStateList')).items
      .filter(isEvent('ExtensionStatus'))
      .map(parseExtensionState);
  }

  /** State of every device. */
  async deviceStateList(): Promise<Array<{ device: string; state: string }>> {
    return (await this.call('DeviceStateList')).items
      .filter(isEvent('DeviceStateChange'))
      .map((m) => ({ device: req(m, 'Device'), state: req(m, 'State') }));
  }

  /** Voicemail counts. */
  async mailboxCount(mailbox: string): Promise<MailboxCount> {
    const m = (await this.call('MailboxCount', { Mailbox: mailbox })).message;
    return {
      mailbox: opt(m, 'Mailbox') ?? mailbox,
      urgent: num(m.get('UrgMessages')) ?? 0,
      new: num(m.get('NewMessages')) ?? 0,
      old: num(m.get('OldMessages')) ?? 0,
    };
  }

  /** Queue parameters, members and waiting callers. */
  async queueStatus(p: { queue?: string; member?: string } = {}): Promise<QueueStatus> {
    const items = (await this.call('QueueStatus', { Queue: p.queue, Member: p.member })).items;
    return {
      params: items.filter(isEvent('QueueParams')).map(parseQueueParams),
      members: items.filter(isEvent('QueueMember')).map(parseQueueMember),
      entries: items.filter(isEvent('QueueEntry')).map(parseQueueEntry),
    };
  }

  /** Per-queue summary. */
  async queueSummary(queue?: string): Promise<QueueSummary[]> {
    return (await this.call('QueueSummary', { Queue: queue })).items
      .filter(isEvent('QueueSummary'))
      .map(parseQueueSummary);
  }

  /** Adds a dynamic member. */
  async queueAdd(p: QueueAddParams): Promise<void> {
    await this.call('QueueAdd', {
      Queue: p.queue,
      Interface: p.interface,
      Penalty: p.penalty,
      Paused: p.paused,
      Reason: p.reason,
      MemberName: p.memberName,
      StateInterface: p.stateInterface,
    });
  }

  /** Removes a dynamic member. */
  async queueRemove(queue: string, iface: string): Promise<void> {
    await this.call('QueueRemove', { Queue: queue, Interface: iface });
  }

  /** Pauses or unpauses a member. */
  async queuePause(p: QueuePauseParams): Promise<void> {
    await this.call('QueuePause', {
      Interface: p.interface,
      Paused: p.paused,
      Queue: p.queue,
      Reason: p.reason,
    });
  }

  /** A configuration file's categories and lines (duplicates kept). */
  async getConfig(
    filename: string,
    p: { category?: string; filter?: string } = {},
  ): Promise<ConfigCategory[]> {
    return parseGetConfig(
      (await this.call('GetConfig', { Filename: filename, Category: p.category, Filter: p.filter })).message,
    );
  }

  /** Same as getConfig through GetConfigJSON, parsed without losing Asterisk's duplicate JSON keys. */
  async getConfigJson(
    filename: string,
    p: { category?: string; filter?: string } = {},
  ): Promise<ConfigCategory[]> {
    const r = await this.call('GetConfigJSON', {
      Filename: filename,
      Category: p.category,
      Filter: p.filter,
    });
    const json = r.message.get('JSON');
    return json === undefined ? [] : parseConfigJson(json);
  }

  /** Category names of a file (empty for a file without categories). */
  async listCategories(filename: string, match?: string): Promise<string[]> {
    return parseListCategories(
      (await this.call('ListCategories', { Filename: filename, Match: match })).message,
    );
  }

  /** Creates an empty configuration file (fails with `File exists`). */
  async createConfig(filename: string): Promise<void> {
    await this.call('CreateConfig', { Filename: filename });
  }

  /** Applies an UpdateConfig builder: its packets in order; stops at the first error (earlier packets stay saved). */
  async updateConfig(update: UpdateConfig): Promise<void> {
    for (const a of update.toActions()) await this.call(a.name, a.params);
  }

  /** Reloads one module, or everything. */
  async reload(module?: string): Promise<void> {
    await this.call('Reload', { Module: module });
  }

  /** Loads, unloads, reloads or refreshes a module. */
  async moduleLoad(
    loadType: 'load' | 'unload' | 'reload' | 'refresh',
    module?: string,
    recursive?: boolean,
  ): Promise<void> {
    await this.call('ModuleLoad', { LoadType: loadType, Module: module, Recursive: recursive });
  }

  /** Broadcasts a `UserEvent` with custom headers (arrays become repeated headers). */
  async userEvent(
    name: string,
    headers: Record<string, string | number | ReadonlyArray<string | number>> = {},
  ): Promise<void> {
    await this.call('UserEvent', { UserEvent: name, ...headers });
  }

  /** An AstDB value; undefined when the key does not exist. */
  async dbGet(family: string, key: string): Promise<string | undefined> {
    const reply = await this.runner.action('DBGet', { Family: family, Key: key });
    if (!reply.ok && /not found/i.test(reply.message.get('Message') ?? '')) return undefined;
    if (!reply.ok) throw new AmiActionReplyError('DBGet', reply.message);
    const item = reply.items.find(isEvent('DBGetResponse'));
    // Very old versions put Val in the response itself.
    return item ? item.get('Val') : reply.message.get('Val');
  }

  /** Every key below a family (and key); keys are full paths such as `/sb/sub/k2`. */
  async dbGetTree(family?: string, key?: string): Promise<Array<{ key: string; value: string }>> {
    const reply = await this.runner.action('DBGetTree', { Family: family, Key: key });
    if (!reply.ok && /not found/i.test(reply.message.get('Message') ?? '')) return [];
    if (!reply.ok) throw new AmiActionReplyError('DBGetTree', reply.message);
    return reply.items
      .filter(isEvent('DBGetTreeResponse'))
      .map((m) => ({ key: req(m, 'Key'), value: req(m, 'Val') }));
  }

  /** Stores an AstDB value. */
  async dbPut(family: string, key: string, value: string): Promise<void> {
    await this.call('DBPut', { Family: family, Key: key, Val: value });
  }

  /** Deletes one AstDB key (rejects when it does not exist). */
  async dbDel(family: string, key: string): Promise<void> {
    await this.call('DBDel', { Family: family, Key: key });
  }

  /** Deletes an AstDB family or subtree. */
  async dbDelTree(family: string, key?: string): Promise<void> {
    await this.call('DBDelTree', { Family: family, Key: key });
  }

  /** PJSIP endpoints. */
  async pjsipShowEndpoints(): Promise<PjsipEndpoint[]> {
    return (await this.call('PJSIPShowEndpoints')).items
      .filter(isEvent('EndpointList'))
      .map(parsePjsipEndpoint);
  }

  /** PJSIP contacts (Asterisk's `No Contacts found` error resolves as an empty list). */
  async pjsipShowContacts(): Promise<PjsipContact[]> {
    const reply = await this.runner.action('PJSIPShowContacts');
    if (!reply.ok && /no contacts found/i.test(reply.message.get('Message') ?? '')) return [];
    if (!reply.ok) throw new AmiActionReplyError('PJSIPShowContacts', reply.message);
    return reply.items.filter(isEvent('ContactList')).map(parsePjsipContact);
  }

  /** chan_sip peers (Asterisk ≤ 20). */
  async sipPeers(): Promise<SipPeer[]> {
    return (await this.call('SIPpeers')).items.filter(isEvent('PeerEntry')).map(parseSipPeer);
  }

  /** Queues an AGI command on a channel running `AGI(agi:async)`; the result comes as an `AsyncAGIExec` event. */
  async agi(channel: string, command: string, commandId?: string): Promise<void> {
    await this.call('AGI', { Channel: channel, Command: command, CommandID: commandId });
  }

  /** Waits for events (AJAM long poll); resolves with the packets delivered inside the WaitEvent list. */
  async waitEvent(timeoutSeconds?: number, opts?: AmiCallOptions): Promise<AmiPacket[]> {
    const r = await this.call('WaitEvent', { Timeout: timeoutSeconds }, opts);
    return r.items.filter((m) => !/^WaitEventComplete$/i.test(m.event ?? ''));
  }
}

/** Item filter by event name (case-insensitive). */
function isEvent(name: string): (m: AmiPacket) => boolean {
  const lower = name.toLowerCase();
  return (m) => m.event?.toLowerCase() === lower;
}
