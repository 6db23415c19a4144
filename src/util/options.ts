/**
 * Checks an options object against what a function honours, so that no option is ever ignored:
 * a key in `known` passes; a PyTorch option in `refused` passes only at its default value (PyTorch's
 * `dilation=1`), and otherwise throws `not supported: <option>`; any other key is an unknown option.
 */
export function checkOptions(
  where: string,
  opts: object | undefined,
  known: readonly string[],
  refused: Readonly<Record<string, unknown>> = {},
): void {
  if (opts === undefined || opts === null) return;
  for (const [key, value] of Object.entries(opts)) {
    if (known.includes(key) || value === undefined) continue;
    if (key in refused) {
      if (sameOption(value, refused[key])) continue;
      throw new TypeError(
        `${where}: not supported: ${key} = ${shown(value)} (torchlit has only ${shown(refused[key])})`,
      );
    }
    const names = [...known, ...Object.keys(refused)].join(', ');
    throw new TypeError(`${where}: unknown option '${key}' (options: ${names})`);
  }
}

function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'none';
  return typeof value === 'object' && !Array.isArray(value) ? 'an object' : JSON.stringify(value);
}

/** Equal as option values: numbers, strings, booleans, or arrays of them (`[1, 1]` is `1` for a pair). */
function sameOption(value: unknown, fallback: unknown): boolean {
  if (Array.isArray(value)) return value.every((v) => sameOption(v, fallback));
  return value === fallback;
}
