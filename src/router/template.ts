/**
 * Target templates such as `PJSIP/${number}` or `Local/${number}@ctx`. Compiled once (unknown variables are rule
 * errors); values are checked when rendered so a dialed number can never inject Dial syntax (`&`, `,`, `/`, `@`, …).
 */
import { RouterError, RuleError } from './errors.js';

/** Variables a template may use. */
export const TEMPLATE_VARIABLES = ['number', 'dialed', 'caller', 'route'] as const;
/** One template variable name. */
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
/** Values for rendering. */
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

/** A compiled template. */
export interface Template {
  readonly source: string;
  render(values: TemplateValues): string;
}

const SAFE_VALUE = /^[0-9A-Za-z*#+._-]*$/;

/** Compiles a template; throws `ROUTER_BAD_RULE` on an unknown variable, an unclosed `${`, or CR/LF. */
export function compileTemplate(source: string): Template {
  if (/[\r\n]/.test(source)) throw new RuleError(`template ${JSON.stringify(source)} contains a line break`);
  const parts: Array<string | TemplateVariable> = [];
  const isVar: boolean[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('${', i);
    if (open < 0) {
      parts.push(source.slice(i));
      isVar.push(false);
      break;
    }
    if (open > i) {
      parts.push(source.slice(i, open));
      isVar.push(false);
    }
    const close = source.indexOf('}', open);
    if (close < 0)
      throw new RuleError(
        `template ${JSON.stringify(source)}: '\${' at position ${open + 1} is never closed`,
      );
    const name = source.slice(open + 2, close);
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      throw new RuleError(
        `template ${JSON.stringify(source)}: unknown variable \${${name}} (use ${TEMPLATE_VARIABLES.map((v) => `\${${v}}`).join(', ')})`,
      );
    }
    parts.push(name as TemplateVariable);
    isVar.push(true);
    i = close + 1;
  }
  return {
    source,
    render(values: TemplateValues): string {
      let out = '';
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k] as string;
        if (!isVar[k]) {
          out += part;
          continue;
        }
        const value = values[part as TemplateVariable];
        if (!SAFE_VALUE.test(value)) {
          throw new RouterError(
            'ROUTER_UNSAFE_VALUE',
            `\${${part}} holds characters that are not allowed in a dial string (only 0-9 A-Z a-z * # + . _ -)`,
          );
        }
        out += value;
      }
      return out;
    },
  };
}
