/** Parsers for the configuration actions' replies: GetConfig, GetConfigJSON (duplicate keys kept), ListCategories. */
import type { AmiPacket } from './runner.js';

/** One category of a configuration file, variables in file order (repeats such as `exten`/`same` kept). */
export interface ConfigCategory {
  /** Category name. */
  name: string;
  /** Whether the category is a template (`(!)`). */
  isTemplate: boolean;
  /** Templates it inherits from. */
  templates: string[];
  /** `[name, value]` pairs in order; object lines (`=>`) have their name as written. */
  variables: Array<[string, string]>;
}

/** Parses `Category-NNNNNN`, `IsTemplate-NNNNNN`, `Templates-NNNNNN`, `Line-NNNNNN-MMMMMM` headers of GetConfig. */
export function parseGetConfig(m: AmiPacket): ConfigCategory[] {
  const cats = new Map<string, ConfigCategory>();
  const cat = (n: string): ConfigCategory => {
    let c = cats.get(n);
    if (!c) {
      c = { name: '', isTemplate: false, templates: [], variables: [] };
      cats.set(n, c);
    }
    return c;
  };
  for (const [name, value] of m.headers) {
    let r = /^Category-(\d+)$/i.exec(name);
    if (r?.[1] !== undefined) {
      cat(r[1]).name = value;
      continue;
    }
    r = /^IsTemplate-(\d+)$/i.exec(name);
    if (r?.[1] !== undefined) {
      cat(r[1]).isTemplate = value === '1';
      continue;
    }
    r = /^Templates-(\d+)$/i.exec(name);
    if (r?.[1] !== undefined) {
      cat(r[1]).templates = value.split(',').filter((s) => s !== '');
      continue;
    }
    r = /^Line-(\d+)-\d+$/i.exec(name);
    if (r?.[1] !== undefined) {
      const eq = value.indexOf('=');
      cat(r[1]).variables.push(eq < 0 ? [value, ''] : [value.slice(0, eq), value.slice(eq + 1)]);
    }
  }
  return [...cats.values()];
}

/** Parses `Category-NNNNNN` headers of ListCategories (`Error: no categories found` → empty). */
export function parseListCategories(m: AmiPacket): string[] {
  const out: string[] = [];
  for (const [name, value] of m.headers) if (/^Category-\d+$/i.test(name)) out.push(value);
  return out;
}

/**
 * Parses the `JSON:` header of GetConfigJSON without losing repeated keys: Asterisk writes every `exten`/`same`
 * line as a duplicate key, which `JSON.parse` would silently collapse to the last one.
 */
export function parseConfigJson(text: string): ConfigCategory[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`GetConfigJSON: ${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) fail(`expected ${JSON.stringify(ch)}`);
    i++;
  };
  const string = (): string => {
    ws();
    if (text[i] !== '"') fail('expected a string');
    let out = '';
    for (i++; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"') {
        i++;
        return out;
      }
      // Asterisk escapes only backslash and double quote.
      if (ch === '\\' && i + 1 < text.length) out += text[++i];
      else out += ch;
    }
    return fail('unterminated string');
  };
  const scalar = (): string => {
    ws();
    if (text[i] === '"') return string();
    const start = i;
    while (i < text.length && /[^,}\s]/.test(text[i] ?? '')) i++;
    if (i === start) fail('expected a value');
    return text.slice(start, i);
  };
  const cats: ConfigCategory[] = [];
  expect('{');
  ws();
  if (text[i] === '}') return cats;
  for (;;) {
    const cat: ConfigCategory = { name: string(), isTemplate: false, templates: [], variables: [] };
    expect(':');
    expect('{');
    ws();
    if (text[i] === '}') i++;
    else
      for (;;) {
        const key = string();
        expect(':');
        const value = scalar();
        if (key === 'istemplate') cat.isTemplate = value === '1';
        else if (key === 'templates') cat.templates = value.split(',').filter((s) => s !== '');
        else cat.variables.push([key, value]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}');
        break;
      }
    cats.push(cat);
    ws();
    if (text[i] === ',') {
      i++;
      continue;
    }
    expect('}');
    return cats;
  }
}
