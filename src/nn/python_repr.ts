/** A float as Python's repr writes it: `0.1`, `1.0`, `1e-05`. */
export function pyFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const exponent = Math.floor(Math.log10(Math.abs(v)));
  if (exponent >= -4 && exponent < 16) return String(v);
  const [mantissa, e] = v.toExponential().split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
}
