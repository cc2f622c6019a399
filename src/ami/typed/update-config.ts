/**
 * Builder for `UpdateConfig`: numbered edit steps (from 000000, no gaps — Asterisk stops at the first missing
 * number), split into several packets when one would exceed Asterisk's 128-line packet limit, and an optional reload
 * on the last packet only. Each packet is atomic in Asterisk (a failing step saves nothing of that packet); packets
 * are applied in order, so when a later packet fails the earlier ones stay saved.
 */
import { AmiTypedInputError } from './errors.js';
import type { AmiParams } from './runner.js';

/** Asterisk's `AST_MAX_MANHEADERS`: lines per packet, counting every header line of the request. */
export const AMI_MAX_PACKET_LINES = 128;

/** Options of a `NewCat` step. */
export interface NewCatOptions {
  /** Create it as a template category (`[name](!)`). */
  template?: boolean;
  /** Template it inherits from (Asterisk takes one per step here). */
  inherit?: string;
  /** Allow a second category with the same name. */
  allowDups?: boolean;
  /** Do not fail when it already exists. */
  ignoreError?: boolean;
  /** Insert before this existing category instead of appending. */
  before?: string;
}

/** Options shared by steps that address existing categories. */
export interface StepOptions {
  /** Only categories matching this filter (`name=regex,…`). */
  catFilter?: string;
  /** Do not fail when the category is missing. */
  ignoreError?: boolean;
}

/** One numbered edit step (the `-NNNNNN` headers). */
export interface UpdateConfigStep {
  /** `NewCat`, `RenameCat`, `DelCat`, `EmptyCat`, `Update`, `Delete`, `Append` or `Insert`. */
  action: 'NewCat' | 'RenameCat' | 'DelCat' | 'EmptyCat' | 'Update' | 'Delete' | 'Append' | 'Insert';
  /** Category (required by Asterisk for every step). */
  cat: string;
  /** Variable name. */
  var?: string;
  /** Value (a leading `>` makes an object line `=>`). */
  value?: string;
  /** Match value or category. */
  match?: string;
  /** Line number (Delete/Insert). */
  line?: number;
  /** Comma list of options. */
  options?: string;
}

/** Builder options. */
export interface UpdateConfigOptions {
  /** File written to (default: the source file). */
  dstFilename?: string;
  /** `true` reloads everything, a string reloads that module; absent/false sends no `Reload` header at all
   * (Asterisk 13 takes `Reload: no` for a module named "no"). */
  reload?: boolean | string;
  /** `PreserveEffectiveContext` (Asterisk's default: yes). */
  preserveEffectiveContext?: boolean;
  /** Lines per packet (default 128); lower it for a server with a smaller limit. */
  maxLines?: number;
  /** Count an `ActionID` line (default true: clients always send one). */
  actionIdLine?: boolean;
}

const HEADER_FIELDS = ['action', 'cat', 'var', 'value', 'match', 'line', 'options'] as const;
const HEADER_NAMES: Record<(typeof HEADER_FIELDS)[number], string> = {
  action: 'Action',
  cat: 'Cat',
  var: 'Var',
  value: 'Value',
  match: 'Match',
  line: 'Line',
  options: 'Options',
};

/** Refuses values that would break the packet or the options list. */
function check(
  what: string,
  v: string | undefined,
  opts: { nonEmpty?: boolean; noComma?: boolean } = {},
): void {
  if (v === undefined) return;
  if (/[\r\n]/.test(v)) throw new AmiTypedInputError(`UpdateConfig: ${what} contains CR or LF`);
  if (opts.nonEmpty && v.trim() === '') throw new AmiTypedInputError(`UpdateConfig: ${what} is empty`);
  if (opts.noComma && v.includes(','))
    throw new AmiTypedInputError(`UpdateConfig: ${what} cannot contain a comma`);
}

/** Collects UpdateConfig steps and turns them into one or more `UpdateConfig` actions. */
export class UpdateConfig {
  /** Source file, e.g. `pjsip.conf`. */
  readonly srcFilename: string;
  /** Options given at construction. */
  readonly options: Readonly<UpdateConfigOptions>;
  readonly #steps: UpdateConfigStep[] = [];

  constructor(srcFilename: string, options: UpdateConfigOptions = {}) {
    check('SrcFilename', srcFilename, { nonEmpty: true });
    check('DstFilename', options.dstFilename, { nonEmpty: true });
    if (typeof options.reload === 'string') check('Reload module', options.reload, { nonEmpty: true });
    const max = options.maxLines ?? AMI_MAX_PACKET_LINES;
    if (!Number.isInteger(max) || max < 16)
      throw new AmiTypedInputError('UpdateConfig: maxLines must be an integer ≥ 16');
    this.srcFilename = srcFilename;
    this.options = { ...options };
  }

  /** The steps added so far, in order. */
  get steps(): readonly UpdateConfigStep[] {
    return this.#steps;
  }

  /** Adds a raw step (validated). */
  step(step: UpdateConfigStep): this {
    check('category', step.cat, { nonEmpty: true });
    check('variable', step.var, { nonEmpty: true });
    check('value', step.value);
    check('match', step.match);
    check('options', step.options);
    if (step.line !== undefined && (!Number.isInteger(step.line) || step.line < 0))
      throw new AmiTypedInputError('UpdateConfig: line must be a non-negative integer');
    this.#steps.push({ ...step });
    return this;
  }

  /** Creates a category. */
  newCat(cat: string, opts: NewCatOptions = {}): this {
    check('inherit', opts.inherit, { nonEmpty: true, noComma: true });
    const o: string[] = [];
    if (opts.allowDups) o.push('allowdups');
    if (opts.template) o.push('template');
    if (opts.ignoreError) o.push('ignoreerror');
    if (opts.inherit !== undefined) o.push(`inherit=${opts.inherit}`);
    return this.step({
      action: 'NewCat',
      cat,
      match: opts.before,
      options: o.length ? o.join(',') : undefined,
    });
  }

  /** Renames a category. */
  renameCat(cat: string, newName: string, opts: StepOptions = {}): this {
    check('new name', newName, { nonEmpty: true });
    return this.step({ action: 'RenameCat', cat, value: newName, options: stepOptions(opts) });
  }

  /** Deletes a category. */
  delCat(cat: string, opts: StepOptions = {}): this {
    return this.step({ action: 'DelCat', cat, options: stepOptions(opts) });
  }

  /** Removes every variable of a category. */
  emptyCat(cat: string, opts: StepOptions = {}): this {
    return this.step({ action: 'EmptyCat', cat, options: stepOptions(opts) });
  }

  /** Changes a variable (only lines whose current value is `match`, when given). */
  update(
    cat: string,
    variable: string,
    value: string,
    opts: StepOptions & { match?: string; object?: boolean } = {},
  ): this {
    return this.step({
      action: 'Update',
      cat,
      var: variable,
      value: opts.object ? `>${value}` : value,
      match: opts.match,
      options: stepOptions(opts),
    });
  }

  /** Deletes a variable (by name, optionally its value `match`) or the line number `line`. */
  delete(cat: string, variable: string, opts: StepOptions & { match?: string; line?: number } = {}): this {
    return this.step({
      action: 'Delete',
      cat,
      var: variable,
      match: opts.match,
      line: opts.line,
      options: stepOptions(opts),
    });
  }

  /** Appends `variable = value` (or `variable => value` with `object`). */
  append(cat: string, variable: string, value: string, opts: StepOptions & { object?: boolean } = {}): this {
    return this.step({
      action: 'Append',
      cat,
      var: variable,
      value,
      match: opts.object ? 'object' : undefined,
      options: stepOptions(opts),
    });
  }

  /** Inserts `variable = value` at line `line` of the category. */
  insert(cat: string, variable: string, value: string, line: number, opts: StepOptions = {}): this {
    return this.step({ action: 'Insert', cat, var: variable, value, line, options: stepOptions(opts) });
  }

  /** Header lines every packet carries besides the steps. */
  #fixedLines(): number {
    const o = this.options;
    return (
      3 + // Action, SrcFilename, DstFilename
      (o.actionIdLine === false ? 0 : 1) +
      (o.reload ? 1 : 0) + // counted in every packet: any of them may end up last
      (o.preserveEffectiveContext === undefined ? 0 : 1)
    );
  }

  /** The `UpdateConfig` actions to send, in order; each numbers its steps from 000000. */
  toActions(): Array<{ name: 'UpdateConfig'; params: AmiParams }> {
    const o = this.options;
    const max = o.maxLines ?? AMI_MAX_PACKET_LINES;
    const budget = max - this.#fixedLines();
    const batches: UpdateConfigStep[][] = [];
    let current: UpdateConfigStep[] = [];
    let used = 0;
    for (const s of this.#steps) {
      const lines = stepLines(s);
      if (used + lines > budget && current.length > 0) {
        batches.push(current);
        current = [];
        used = 0;
      }
      current.push(s);
      used += lines;
    }
    if (current.length > 0 || batches.length === 0) batches.push(current);
    return batches.map((steps, bi) => {
      const params: AmiParams = {
        SrcFilename: this.srcFilename,
        DstFilename: o.dstFilename ?? this.srcFilename,
      };
      if (o.preserveEffectiveContext !== undefined)
        params.PreserveEffectiveContext = o.preserveEffectiveContext ? 'yes' : 'no';
      if (o.reload && bi === batches.length - 1) params.Reload = o.reload === true ? 'yes' : o.reload;
      steps.forEach((s, i) => {
        const n = String(i).padStart(6, '0');
        for (const f of HEADER_FIELDS) {
          const v = s[f];
          if (v !== undefined) params[`${HEADER_NAMES[f]}-${n}`] = typeof v === 'number' ? String(v) : v;
        }
      });
      return { name: 'UpdateConfig' as const, params };
    });
  }
}

/** Lines a step occupies on the wire. */
function stepLines(s: UpdateConfigStep): number {
  let n = 0;
  for (const f of HEADER_FIELDS) if (s[f] !== undefined) n++;
  return n;
}

/** The Options value for catfilter/ignoreerror. */
function stepOptions(o: StepOptions): string | undefined {
  check('catFilter', o.catFilter, { nonEmpty: true, noComma: true });
  const out: string[] = [];
  if (o.ignoreError) out.push('ignoreerror');
  if (o.catFilter !== undefined) out.push(`catfilter=${o.catFilter}`);
  return out.length ? out.join(',') : undefined;
}
