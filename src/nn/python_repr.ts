/** Python's printed form of an option value. */
export function py(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map(py).join(', ')})`;
  if (v === null || v === undefined) return 'None';
  return typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v);
}

/** A float as Python's repr writes it: `0.1`, `1.0`, `1e-05`. */
export function pyFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const exponent = Math.floor(Math.log10(Math.abs(v)));
  if (exponent >= -4 && exponent < 16) return String(v);
  const [mantissa, e] = v.toExponential().split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
}
