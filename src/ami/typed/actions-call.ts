/**
 * Session and call-control actions of the typed API (Login … Command): the base class of `AmiActions`, which holds the
 * runner and turns `Response: Error` into `AmiActionReplyError`.
 */
import { AmiActionReplyError, AmiTypedInputError } from './errors.js';
import { bool, num, opt, req } from './fields.js';
import type { OriginateParams, OriginateResult, RedirectParams } from './params.js';
import type { CommandInfo } from './replies.js';
import type { AmiActionRunner, AmiCallOptions, AmiParams, AmiReply } from './runner.js';

/** Replies that are not errors although they are not `Success`. */
const NON_ERROR = /^(success|goodbye|follows)$/i;

/** Session and call-control actions; `AmiActions` adds status, queue, config, AstDB and SIP actions. */
export class AmiCallActions {
  /** The runner every action goes through. */
  protected readonly runner: AmiActionRunner;

  constructor(runner: AmiActionRunner) {
    this.runner = runner;
  }

  /** Runs any action and rejects with `AmiActionReplyError` (an `AmiActionError`) on `Response: Error`. */
  async call(name: string, params?: AmiParams, opts?: AmiCallOptions): Promise<AmiReply> {
    const reply = await this.runner.action(name, params, opts);
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
    if (this.runner.originate) {
      const ev = await this.runner.originate(params, opts);
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
}
