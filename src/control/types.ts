/** What call control needs of a PBX: its AMI link, its live model, and its click-to-dial settings. */
import type { AmiMessage, AmiParams, AmiResponse } from '../ami/index.js';
import type { PbxModel, PbxServerSnapshot } from '../pbx/index.js';

/** The AMI side (a server `PbxLink` or an `AmiClient` fits). */
export interface ControlAmi {
  readonly state: string;
  on(event: 'event', listener: (m: AmiMessage) => void): unknown;
  on(event: 'state', listener: (s: string) => void): unknown;
  off(event: 'event', listener: (m: AmiMessage) => void): unknown;
  off(event: 'state', listener: (s: string) => void): unknown;
  action(name: string, params?: AmiParams, options?: { timeout?: number }): Promise<AmiResponse>;
  /** Async originate: resolves with the OriginateResponse; `onQueued` once Asterisk accepted it. */
  originate(
    params: AmiParams,
    options: { timeout?: number; onQueued?: (reply: AmiResponse) => void },
  ): Promise<AmiMessage>;
}

/** Click-to-dial settings of a PBX. */
export interface ClickToDialSettings {
  /** Dial string of the caller's phone; `${from}` is replaced by the extension (e.g. `PJSIP/${from}`). */
  channel: string;
  /** Context the far number is dialled in (through a `Local/` channel). */
  context: string;
  /** Seconds each leg may ring. */
  timeout: number;
}

/** One PBX under control. */
export interface ControlPbx {
  readonly id: string;
  readonly ami: ControlAmi;
  /** Its live model (the monitor's). */
  model(): PbxModel | undefined;
  /** A fresh snapshot of it. */
  snapshot(): PbxServerSnapshot | undefined;
  readonly clickToDial: ClickToDialSettings;
}
