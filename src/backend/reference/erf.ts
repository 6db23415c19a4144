// The error function to double precision, and its inverse. JavaScript has neither.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf(x): a series of positive terms below 3 (no cancellation), 1 - erfc by continued fraction above. */
export function erf(x: number): number {
  if (x !== x) return NaN;
  if (x < 0) return -erf(-x);
  if (x === 0) return x;
  if (x < 3) {
    const x2 = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  if (x > 6) return 1;
  return 1 - erfcLarge(x);
}

/** erfc(x) for x >= 3: e^-x^2 / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))). */
function erfcLarge(x: number): number {
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** The inverse of erf on (-1, 1): Giles' single-precision approximation, refined by Newton's method. */
export function erfinv(y: number): number {
  if (y !== y || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  let w = -Math.log((1 - y) * (1 + y));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    for (const c of [
      3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727,
      1.50140941,
    ])
      p = c + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    for (const c of [
      0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406,
      2.83297682,
    ])
      p = c + p * w;
  }
  let x = p * y;
  for (let i = 0; i < 3; i++) {
    const slope = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    if (!(slope > 0)) break;
    x -= (erf(x) - y) / slope;
  }
  return x;
}
