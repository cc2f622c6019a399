/**
 * The simulated PBX's configuration files, in memory: parsed like Asterisk's config loader (categories,
 * templates `(!)` and inheritance `(tpl)`, `=` and `=>`), edited by the manager's config actions with their exact
 * answers (`main/manager.c`: GetConfig, GetConfigJSON, ListCategories, CreateConfig, UpdateConfig).
 */

/** One `key = value` line. */
export interface ConfLine {
  key: string;
  value: string;
}

/** One category. */
export interface ConfCategory {
  name: string;
  /** `[x](!)`: a template. */
  template: boolean;
  /** Templates it inherits from. */
  inherits: string[];
  lines: ConfLine[];
}

/** Why a config action failed; `message` is Asterisk's wording. */
export class SimConfigError extends Error {
  /** Stable code. */
  readonly code = 'SIM_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'SimConfigError';
  }
}

/** Parses the text of a `.conf` file. Template variables are copied into inheriting categories, as Asterisk does. */
export function parseConf(text: string): ConfCategory[] {
  const cats: ConfCategory[] = [];
  let cur: ConfCategory | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|[^\\]);.*$/, '$1').trim();
    if (line === '') continue;
    const head = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
    if (head) {
      const opts = (head[2] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const inherits = opts.filter((o) => o !== '!');
      cur = { name: head[1] ?? '', template: opts.includes('!'), inherits, lines: [] };
      for (const t of inherits) {
        const tpl = [...cats].reverse().find((c) => c.name === t);
        if (tpl) cur.lines.push(...tpl.lines.map((l) => ({ ...l })));
      }
      cats.push(cur);
      continue;
    }
    const m = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    if (!m || !cur) continue;
    cur.lines.push({ key: m[1] ?? '', value: m[2] ?? '' });
  }
  return cats;
}

/** Renders categories back to `.conf` text. */
export function renderConf(cats: readonly ConfCategory[]): string {
  return cats
    .map((c) => {
      const opts = [...(c.template ? ['!'] : []), ...c.inherits];
      const head = `[${c.name}]${opts.length > 0 ? `(${opts.join(',')})` : ''}`;
      return [head, ...c.lines.map((l) => `${l.key} = ${l.value}`)].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** One step of an `UpdateConfig` (`Action-NNNNNN`, `Cat-`, `Var-`, `Value-`, `Match-`, `Line-`). */
export interface ConfUpdateStep {
  action: string;
  cat: string;
  var?: string;
  value?: string;
  match?: string;
  line?: string;
}

/** Every configuration file of the simulated PBX. */
export class SimConfigStore {
  private readonly files = new Map<string, ConfCategory[]>();
  /** Listeners of saved files (name). */
  private readonly listeners: Array<(file: string) => void> = [];

  /** @param seed file name → text */
  constructor(seed: Readonly<Record<string, string>> = {}) {
    for (const [name, text] of Object.entries(seed)) this.files.set(name, parseConf(text));
  }

  /** File names. */
  names(): string[] {
    return [...this.files.keys()];
  }

  /** Whether a file exists. */
  has(file: string): boolean {
    return this.files.has(file);
  }

  /** A file's categories (a copy), or undefined. */
  get(file: string): ConfCategory[] | undefined {
    const f = this.files.get(file);
    return f?.map((c) => ({ ...c, inherits: [...c.inherits], lines: c.lines.map((l) => ({ ...l })) }));
  }

  /** Replaces a file's content. */
  set(file: string, cats: ConfCategory[]): void {
    this.files.set(file, cats);
    for (const l of this.listeners) l(file);
  }

  /** Calls `fn` after a file is written. */
  onWrite(fn: (file: string) => void): void {
    this.listeners.push(fn);
  }

  /** `CreateConfig`: an empty file; `File exists` when it is there. */
  create(file: string): void {
    if (this.files.has(file)) throw new SimConfigError('File exists');
    this.set(file, []);
  }

  /** `GetConfig` lines (`Category-000000: x`, `Line-000000-000000: k=v`). */
  getConfig(file: string, category?: string, filter?: string): Array<[string, string]> {
    const cats = this.files.get(file);
    if (!cats) throw new SimConfigError('Config file not found');
    const wanted = filterOf(filter);
    const out: Array<[string, string]> = [];
    let n = 0;
    for (const c of cats) {
      if (category && c.name !== category) continue;
      if (!wanted(c)) continue;
      const idx = String(n).padStart(6, '0');
      out.push([`Category-${idx}`, c.name]);
      c.lines.forEach((l, i) => {
        out.push([`Line-${idx}-${String(i).padStart(6, '0')}`, `${l.key}=${l.value}`]);
      });
      n++;
    }
    if (category && n === 0) throw new SimConfigError('No categories found');
    return out;
  }

  /** `GetConfigJSON` text (duplicate keys kept, as Asterisk writes them). */
  getConfigJson(file: string, category?: string): string {
    const cats = this.files.get(file);
    if (!cats) throw new SimConfigError('Config file not found');
    const parts = cats
      .filter((c) => !category || c.name === category)
      .map(
        (c) =>
          `${JSON.stringify(c.name)}:{${c.lines.map((l) => `${JSON.stringify(l.key)}:${JSON.stringify(l.value)}`).join(',')}}`,
      );
    return `{${parts.join(',')}}`;
  }

  /** `ListCategories` names. */
  listCategories(file: string): string[] {
    const cats = this.files.get(file);
    if (!cats) throw new SimConfigError('Config file not found');
    return cats.map((c) => c.name);
  }

  /** `UpdateConfig`: applies every step to a copy; saves only when all succeed (nothing saved otherwise). */
  update(src: string, dst: string, steps: readonly ConfUpdateStep[]): void {
    const base = this.get(src);
    if (!base) throw new SimConfigError('Config file not found');
    const cats = base;
    for (const s of steps) applyStep(cats, s);
    this.set(dst, cats);
  }
}

function filterOf(filter: string | undefined): (c: ConfCategory) => boolean {
  if (!filter) return () => true;
  const conds = filter.split(',').map((p) => p.split('=') as [string, string | undefined]);
  return (c) =>
    conds.every(([k, v]) => {
      if (k === 'TEMPLATES') return v === 'include' || !c.template;
      return c.lines.some((l) => l.key === k && (v === undefined || l.value === v));
    });
}

function applyStep(cats: ConfCategory[], s: ConfUpdateStep): void {
  const act = s.action.toLowerCase();
  const find = () => cats.find((c) => c.name === s.cat);
  const need = () => {
    const c = find();
    if (!c) throw new SimConfigError('Given category does not exist');
    return c;
  };
  switch (act) {
    case 'newcat': {
      if (find()) throw new SimConfigError('Create category did not complete successfully');
      cats.push({ name: s.cat, template: false, inherits: [], lines: [] });
      return;
    }
    case 'renamecat': {
      const c = need();
      if (!s.value) throw new SimConfigError('Rename category did not complete successfully');
      c.name = s.value;
      return;
    }
    case 'delcat': {
      const i = cats.findIndex((c) => c.name === s.cat);
      if (i < 0) throw new SimConfigError('Delete category did not complete successfully');
      cats.splice(i, 1);
      return;
    }
    case 'emptycat':
      need().lines = [];
      return;
    case 'update': {
      const c = need();
      const l = c.lines.find((x) => x.key === s.var && (s.match === undefined || x.value === s.match));
      if (!l) throw new SimConfigError('Update did not complete successfully');
      l.value = s.value ?? '';
      return;
    }
    case 'delete': {
      const c = need();
      const i = c.lines.findIndex((x) => x.key === s.var && (s.match === undefined || x.value === s.match));
      if (i < 0) throw new SimConfigError('Delete did not complete successfully');
      c.lines.splice(i, 1);
      return;
    }
    case 'append':
      need().lines.push({ key: s.var ?? '', value: s.value ?? '' });
      return;
    case 'insert': {
      const c = need();
      const at = Number(s.line ?? c.lines.length);
      c.lines.splice(Number.isFinite(at) ? at : c.lines.length, 0, {
        key: s.var ?? '',
        value: s.value ?? '',
      });
      return;
    }
    default:
      throw new SimConfigError('Unknown action command');
  }
}
