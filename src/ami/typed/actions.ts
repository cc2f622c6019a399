/**
 * `AmiActions`: one typed method per common AMI action over any `AmiActionRunner` (e.g. an `AmiClient`).
 * Replies are parsed into typed objects; `Response: Error` rejects with `AmiActionReplyError` (an `AmiActionError`). Anything not covered here
 * stays reachable untyped through `call()` or the runner itself.
 */
import { type ConfigCategory, parseConfigJson, parseGetConfig, parseListCategories } from './config.js';
import { AmiActionReplyError, AmiTypedInputError } from './errors.js';
import { bool, num, opt, req } from './fields.js';
import type {
  OriginateParams,
  OriginateResult,
  QueueAddParams,
  QueuePauseParams,
  RedirectParams,
} from './params.js';
import {
  type CoreShowChannel,
  type ExtensionState,
  type PjsipContact,
  type PjsipEndpoint,
  parseCoreShowChannel,
  parseExtensionState,
  parsePjsipContact,
  parsePjsipEndpoint,
  parseQueueEntry,
  parseQueueMember,
  parseQueueParams,
  parseQueueSummary,
  parseSipPeer,
  parseStatusChannel,
  type QueueEntry,
  type QueueMember,
  type QueueParams,
  type QueueSummary,
  type SipPeer,
  type StatusChannel,
} from './results.js';
import type { AmiActionRunner, AmiCallOptions, AmiPacket, AmiParams, AmiReply } from './runner.js';
import type { UpdateConfig } from './update-config.js';

/** `CoreStatus` reply. */
export interface CoreStatus {
  /** `YYYY-MM-DD`. */
  startupDate: string;
  /** `HH:MM:SS`. */
  startupTime: string;
  /** `YYYY-MM-DD`. */
  reloadDate: string;
  /** `HH:MM:SS`. */
  reloadTime: string;
  /** Calls now. */
  currentCalls: number;
  /** Calls processed since start (absent before Asterisk 14). */
  processedCalls?: number | undefined;
}

/** `CoreSettings` reply. */
export interface CoreSettings {
  /** AMI version, e.g. `13.0.0`. */
  amiVersion: string;
  /** Asterisk version. */
  asteriskVersion: string;
  /** System name. */
  systemName?: string | undefined;
  /** Max calls (0 = unlimited). */
  maxCalls?: number | undefined;
  /** Max load average. */
  maxLoadAvg?: number | undefined;
  /** Run user. */
  runUser?: string | undefined;
  /** Run group. */
  runGroup?: string | undefined;
  /** Max file handles. */
  maxFileHandles?: number | undefined;
  /** Realtime enabled. */
  realTimeEnabled?: boolean | undefined;
  /** CDR enabled. */
  cdrEnabled?: boolean | undefined;
  /** HTTP enabled. */
  httpEnabled?: boolean | undefined;
}

/** `MailboxCount` reply. */
export interface MailboxCount {
  /** Mailbox. */
  mailbox: string;
  /** Urgent messages. */
  urgent: number;
  /** New messages. */
  new: number;
  /** Old messages. */
  old: number;
}

/** `QueueStatus` result, items split by kind. */
export interface QueueStatus {
  /** One per queue. */
  params: QueueParams[];
  /** Members of every listed queue. */
  members: QueueMember[];
  /** Callers waiting. */
  entries: QueueEntry[];
}

/** One action's entry of `ListCommands`. */
export interface CommandInfo {
  /** Synopsis. */
  synopsis: string;
  /** Write classes needed (`<none>` → []). */
  privileges: string[];
}

/** Replies that are not errors although they are not `Success`. */
const NON_ERROR = /^(success|goodbye|follows)$/i;

/** Typed AMI actions over a runner. */
export class AmiActions {
  readonly #runner: AmiActionRunner;

  constructor(runner: AmiActionRunner) {
    this.#runner = runner;
  }

  /** Runs any action and rejects with `AmiActionReplyError` (an `AmiActionError`) on `Response: Error`. */
  async call(name: string, params?: AmiParams, opts?: AmiCallOptions): Promise<AmiReply> {
    const reply = await this.#runner.action(name, params, opts);
    if (!reply.ok && !NON_ERROR.test(reply.message.response ?? ''))
      throw new AmiActionReplyError(name, reply.message);
    return reply;
  }

  /** Logs in (clients normally do this themselves): a plain secret, or an MD5 `key` with `authType: 'MD5'`. */
  async login(p: {
    username: string;
    secret?: string;
    key?: string;
    authType?: 'MD5';
    events?: string;
  }): Promise<void> {
    await this.call('Login', {
      Username: p.username,
      Secret: p.secret,
      AuthType: p.authType,
      Key: p.key,
      Events: p.events,
    });
  }

  /** Ends the session (`Response: Goodbye`; Asterisk then closes the socket). */
  async logoff(): Promise<void> {
    await this.call('Logoff');
  }

  /** Keepalive; resolves with Asterisk's clock (epoch seconds with µs). */
  async ping(opts?: AmiCallOptions): Promise<{ timestamp: number }> {
    const r = await this.call('Ping', undefined, opts);
    return { timestamp: num(r.message.get('Timestamp')) ?? Number.NaN };
  }

  /** Asks for an MD5 login challenge. */
  async challenge(authType = 'MD5'): Promise<string> {
    return req((await this.call('Challenge', { AuthType: authType })).message, 'Challenge');
  }

  /** Sets this session's event mask (`true`/`false`, or class names); resolves with whether events are now on. */
  async events(mask: boolean | string | string[]): Promise<boolean> {
    const m = typeof mask === 'boolean' ? (mask ? 'on' : 'off') : Array.isArray(mask) ? mask.join(',') : mask;
    return bool((await this.call('Events', { EventMask: m })).message.get('Events')) ?? false;
  }

  /** Adds a server-side event filter (legacy regex, or `matchCriteria` such as `action(include),name(Hangup)`). */
  async filter(filter: string, matchCriteria?: string): Promise<void> {
    await this.call('Filter', { Operation: 'Add', Filter: filter, MatchCriteria: matchCriteria });
  }

  /** Actions this user may run, with synopsis and needed privileges. */
  async listCommands(): Promise<Record<string, CommandInfo>> {
    const out: Record<string, CommandInfo> = {};
    for (const [name, value] of (await this.call('ListCommands')).message.headers) {
      if (/^(response|actionid|message)$/i.test(name)) continue;
      const m = /^(.*?)\s*\(Priv: (.*)\)\s*$/.exec(value);
      const privs = m?.[2]?.trim() ?? '';
      out[name] = {
        synopsis: m?.[1] ?? value,
        privileges: privs === '' || privs === '<none>' ? [] : privs.split(',').map((s) => s.trim()),
      };
    }
    return out;
  }

  /**
   * Places a call. With a runner that correlates async originates (`AmiClient.originate`) it sends `Async: true`
   * and resolves with the matching `OriginateResponse` (a failed call resolves with `success: false`); otherwise it
   * waits for the synchronous reply (which only comes once the call is answered or fails).
   */
  async originate(p: OriginateParams, opts?: { timeout?: number }): Promise<OriginateResult> {
    const params: AmiParams = {
      Channel: p.channel,
      Exten: p.exten,
      Context: p.context,
      Priority: p.priority,
      Application: p.application,
      Data: p.data,
      Timeout: p.timeout,
      CallerID: p.callerId,
      Variable: p.variables ? Object.entries(p.variables).map(([k, v]) => `${k}=${v}`) : undefined,
      Account: p.account,
      EarlyMedia: p.earlyMedia,
      Codecs: p.codecs?.join(','),
      ChannelId: p.channelId,
      OtherChannelId: p.otherChannelId,
      PreDialGoSub: p.preDialGoSub,
    };
    if (this.#runner.originate) {
      const ev = await this.#runner.originate(params, opts);
      const success = /^success$/i.test(ev.get('Response') ?? '');
      const uid = opt(ev, 'Uniqueid');
      return {
        success,
        reason: num(ev.get('Reason')),
        uniqueid: uid === '<unknown>' ? undefined : uid,
        channel: opt(ev, 'Channel'),
        async: true,
      };
    }
    await this.call('Originate', params, opts);
    return { success: true, channel: p.channel, async: false };
  }

  /**
   * Hangs up a channel by name, or every channel whose name matches a RegExp (sent as Asterisk's `/regex/` form;
   * POSIX extended syntax, flags are refused). Resolves with the channels hung up.
   */
  async hangup(channel: string | RegExp, cause?: number): Promise<string[]> {
    if (channel instanceof RegExp) {
      if (channel.flags.replace(/[gy]/g, '') !== '')
        throw new AmiTypedInputError(`Hangup: RegExp flags ${channel.flags} cannot be sent to Asterisk`);
      const r = await this.call('Hangup', { Channel: `/${channel.source}/`, Cause: cause });
      return r.items.filter((i) => /^ChannelHungup$/i.test(i.event ?? '')).map((i) => req(i, 'Channel'));
    }
    await this.call('Hangup', { Channel: channel, Cause: cause });
    return [channel];
  }

  /** Moves a channel (and optionally a second one) to another place in the dialplan. */
  async redirect(p: RedirectParams): Promise<void> {
    await this.call('Redirect', {
      Channel: p.channel,
      Context: p.context,
      Exten: p.exten,
      Priority: p.priority,
      ExtraChannel: p.extraChannel,
      ExtraContext: p.extraContext,
      ExtraExten: p.extraExten,
      ExtraPriority: p.extraPriority,
    });
  }

  /** Attended transfer (queues the features.conf atxfer DTMF code, then `exten`, into `channel`). */
  async atxfer(channel: string, exten: string, context?: string): Promise<void> {
    await this.call('Atxfer', { Channel: channel, Exten: exten, Context: context });
  }

  /** Blind transfer: `channel` is the transferer; its bridge peer goes to `exten@context`. */
  async blindTransfer(channel: string, exten: string, context?: string): Promise<void> {
    await this.call('BlindTransfer', { Channel: channel, Exten: exten, Context: context });
  }

  /** Bridges two channels. */
  async bridge(
    channel1: string,
    channel2: string,
    tone?: 'no' | 'channel1' | 'channel2' | 'both',
  ): Promise<void> {
    await this.call('Bridge', { Channel1: channel1, Channel2: channel2, Tone: tone });
  }

  /** Plays one DTMF digit on a channel. */
  async playDtmf(
    channel: string,
    digit: string,
    opts: { duration?: number; receive?: boolean } = {},
  ): Promise<void> {
    await this.call('PlayDTMF', {
      Channel: channel,
      Digit: digit,
      Duration: opts.duration,
      Receive: opts.receive,
    });
  }

  /** Starts recording a channel; resolves with the MixMonitor id. */
  async mixMonitor(
    channel: string,
    opts: { file?: string; options?: string; command?: string } = {},
  ): Promise<string | undefined> {
    const r = await this.call('MixMonitor', {
      Channel: channel,
      File: opts.file,
      Options: opts.options,
      Command: opts.command,
    });
    return opt(r.message, 'MixMonitorID');
  }

  /** Stops a recording. */
  async stopMixMonitor(channel: string, mixMonitorId?: string): Promise<void> {
    await this.call('StopMixMonitor', { Channel: channel, MixMonitorID: mixMonitorId });
  }

  /** Runs a CLI command; resolves with its output lines (both the pre-14 and the 14+ reply formats). */
  async command(cmd: string, opts?: AmiCallOptions): Promise<string[]> {
    const r = await this.call('Command', { Command: cmd }, opts);
    return r.message.output ?? r.message.getAll('Output');
  }

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
    const reply = await this.#runner.action('DBGet', { Family: family, Key: key });
    if (!reply.ok && /not found/i.test(reply.message.get('Message') ?? '')) return undefined;
    if (!reply.ok) throw new AmiActionReplyError('DBGet', reply.message);
    const item = reply.items.find(isEvent('DBGetResponse'));
    // Very old versions put Val in the response itself.
    return item ? item.get('Val') : reply.message.get('Val');
  }

  /** Every key below a family (and key); keys are full paths such as `/sb/sub/k2`. */
  async dbGetTree(family?: string, key?: string): Promise<Array<{ key: string; value: string }>> {
    const reply = await this.#runner.action('DBGetTree', { Family: family, Key: key });
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
    const reply = await this.#runner.action('PJSIPShowContacts');
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
