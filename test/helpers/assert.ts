import assert from 'node:assert/strict';
import type { Tensor } from '../../src/index.js';

function toNumbers(x: Tensor | ArrayLike<number>): number[] {
  return typeof (x as Tensor).toArray === 'function' ? (x as Tensor).toArray() : Array.from(x as ArrayLike<number>);
}

/** Every element within `rtol` relative (plus a small absolute floor for values near zero). */
export function assertClose(
  actual: Tensor | ArrayLike<number>,
  expected: Tensor | ArrayLike<number>,
  rtol = 1e-4,
  atol = 1e-6,
  what = '',
): void {
  const a = toNumbers(actual);
  const e = toNumbers(expected);
  assert.equal(a.length, e.length, `${what}: length ${a.length} vs ${e.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - e[i]) - rtol * Math.abs(e[i]);
    if (err > worst || Number.isNaN(a[i]) !== Number.isNaN(e[i])) {
      worst = err;
      at = i;
    }
  }
  assert.ok(worst <= atol, `${what}: element ${at} is ${a[at]}, expected ${e[at]} (rtol ${rtol}, atol ${atol})`);
}

export function assertShape(t: Tensor, shape: number[]): void {
  assert.deepEqual([...t.shape], shape);
}
