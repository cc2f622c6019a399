/**
 * Forwarding to the upstream: the action goes out under the upstream client's own ActionID, and the reply
 * (response, list items, completion, OriginateResponse) comes back to the one client that asked, with its own.
 */
import {
  AmiActionError,
  type AmiClient,
  AmiInvalidHeaderError,
  type AmiMessage,
  type AmiParams,
  type AmiResponse,
  AmiTimeoutError,
} from '../../ami/index.js';
import type { GatewaySession } from './session.js';
import { reply, withActionId } from './wire.js';

/** What a client reads when its action cannot reach the upstream. */
export const NOT_CONNECTED = 'Upstream PBX not connected';

/** Sends clients' actions upstream and their replies back. */
export class Forwarder {
  /** Upstream client → its ActionID prefix (`abc123.` of `abc123.17`), learnt from a reply. */
  private readonly prefixes = new WeakMap<AmiClient, string>();

  constructor(private readonly actionTimeout: number) {}

  /** Whether an event carries an ActionID of this upstream client (an Originate of ours or of the server). */
  isOurs(ami: AmiClient | undefined, m: AmiMessage): boolean {
    const prefix = ami ? this.prefixes.get(ami) : undefined;
    return prefix !== undefined && (m.actionId?.startsWith(prefix) ?? false);
  }

  /** Forwards a (non-async-Originate) action and writes the complete reply with the client's ActionID. */
  async forward(
    ami: AmiClient,
    action: string,
    params: AmiParams,
    name: string,
    s: GatewaySession,
    id: string | undefined,
  ): Promise<void> {
    const base = this.actionTimeout;
    let r: AmiResponse;
    try {
      r = await ami.action(action, params, {
        timeout: name === 'originate' ? Math.max(base, 120_000) : base,
      });
    } catch (err) {
      s.write(reply('Error', id, [['Message', failure(err)]]));
      return;
    }
    this.learnPrefix(ami, r.message);
    // Items are written after the whole list arrived: the client must see the response before its items,
    // and the client library settles the list (response first) only at its end.
    let out = withActionId(r.message, id);
    for (const item of r.items) out += withActionId(item, id);
    if (r.complete) out += withActionId(r.complete, id);
    s.write(out);
  }

  /** Forwards an async Originate: the queued reply, then its OriginateResponse, to this client only. */
  async originate(
    ami: AmiClient,
    params: AmiParams,
    s: GatewaySession,
    id: string | undefined,
  ): Promise<void> {
    // The prefix must be known before the OriginateResponse can arrive, or the broadcast copy would leak to
    // every client: learn it once from a Ping.
    if (!this.prefixes.has(ami)) {
      try {
        this.learnPrefix(ami, (await ami.action('Ping')).message);
      } catch (err) {
        s.write(reply('Error', id, [['Message', failure(err)]]));
        return;
      }
    }
    let queued = false;
    try {
      const ev = await ami.originate(params, {
        timeout: 120_000,
        onQueued: (r) => {
          queued = true;
          s.write(withActionId(r.message, id));
        },
      });
      s.write(withActionId(ev, id));
    } catch (err) {
      if (!queued) s.write(reply('Error', id, [['Message', failure(err)]]));
      // After the queued reply, a lost OriginateResponse (link drop, timeout) is like Asterisk's: nothing more.
    }
  }

  /** Remembers the upstream client's ActionID prefix from one of its replies. */
  learnPrefix(ami: AmiClient, m: AmiMessage): void {
    if (this.prefixes.has(ami)) return;
    const upId = m.actionId;
    const dot = upId?.lastIndexOf('.') ?? -1;
    if (upId !== undefined && dot > 0) this.prefixes.set(ami, upId.slice(0, dot + 1));
  }
}

/** The `Message:` for a forwarded action that got no reply. */
function failure(err: unknown): string {
  if (err instanceof AmiActionError) return err.reason;
  if (err instanceof AmiInvalidHeaderError) return 'Invalid header (control characters are refused)';
  if (err instanceof AmiTimeoutError) return 'Timeout waiting for the upstream PBX';
  return NOT_CONNECTED;
}
