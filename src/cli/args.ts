import { parseArgs, type ParseArgsConfig } from 'node:util';

export { UsageError } from '../run/usage_error.js';
import { UsageError } from '../run/usage_error.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** `--epochs -1` as `--epochs=-1`: a string option takes a negative number after it as its value. */
function joinNegativeValues(argv: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    const next = argv[i + 1];
    if (
      name &&
      Object.hasOwn(options, name) &&
      options[name].type === 'string' &&
      /^-(\d|\.\d|inf|nan)/i.test(next ?? '')
    ) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Parses `argv` strictly: an unknown option or a missing value is a UsageError naming it. */
export function parse(argv: string[], options: OptionSpec, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(argv, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    return { values, positionals };
  } catch (e) {
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec((e as Error).message);
    if (ambiguous)
      throw new UsageError(
        `${ambiguous[1]} needs a value, and what follows it looks like an option; write ${ambiguous[1]}=VALUE for a value that starts with '-'`,
      );
    const first = (e as Error).message
      .split('\n')[0]
      .replace(/\. To specify a positional argument starting with a '-'.*$/, '');
    const message = first.charAt(0).toLowerCase() + first.slice(1).replace(/\.$/, '');
    throw new UsageError(message);
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function int(p: Parsed, name: string, min = 1): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

export function num(p: Parsed, name: string, min = 0, exclusiveMin = false): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || (exclusiveMin && n === min)) {
    throw new UsageError(`--${name} must be a number ${exclusiveMin ? '>' : '>='} ${min}, got '${v}'`);
  }
  return n;
}

/** A duration: seconds (`90`, `90s`), minutes (`5m`) or hours (`1h`), as seconds. */
export function duration(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|m|min|h)?\s*$/.exec(v);
  const seconds = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' || m[2] === 'min' ? 60 : 1) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new UsageError(`--${name} must be a positive duration such as 90s, 5m or 1h, got '${v}'`);
  return seconds;
}

export function choice<T extends string>(p: Parsed, name: string, choices: readonly T[]): T | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!choices.includes(v as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${v}'`);
  return v as T;
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}
