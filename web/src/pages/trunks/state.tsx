/** A trunk's state in colour AND words (colour alone would not reach everyone), and the text helpers. */
import type { Trunk } from '../../api/types';
import { duration } from '../../format';
import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/en';

const GOOD = new Set(['registered', 'reachable', 'up']);
const WAITING = new Set(['registering']);

/** `good`, `waiting` or `down`: the colour class of a state. */
export function stateTone(state: string): 'good' | 'waiting' | 'down' {
  return GOOD.has(state) ? 'good' : WAITING.has(state) ? 'waiting' : 'down';
}

/** The state's words in the current language (an unknown state as Asterisk spelt it). */
export function stateText(state: string, t: Translate): string {
  const key = `trunks.state.${state}` as MessageKey;
  const s = t(key) as string | undefined;
  return s === undefined || s === key ? state : s;
}

/** The kind's words. */
export function kindText(kind: string, t: Translate): string {
  const key = `trunks.kind.${kind}` as MessageKey;
  const s = t(key) as string | undefined;
  return s === undefined || s === key ? kind : s;
}

/** A dot and the state's words. */
export function TrunkState({ state, t }: { state: string; t: Translate }) {
  const tone = stateTone(state);
  return (
    <span className={`trunk-state trunk-${tone}`}>
      <span className="trunk-dot" aria-hidden="true" />
      {stateText(state, t)}
    </span>
  );
}

/** Date and time of an epoch ms, in the UI's language. */
export function when(ms: number, lang: string): string {
  return new Date(ms).toLocaleString(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** How long a state has lasted (`m:ss` / `h:mm:ss`, days spelt as `Nd`). */
export function lasted(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = duration((ms % 86_400_000) / 1000);
  return days > 0 ? `${days}d ${rest}` : rest;
}

/** The trunk's display name. */
export const trunkName = (tr: Trunk): string => tr.name;
