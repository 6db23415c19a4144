import { referenceBackend } from '../../reference/index.js';
import type { Backend, FloatArray } from '../../types.js';
import type { WasmContext } from './context.js';

/** Matrix products: the 4 x 8 register-blocked GEMM over packed panels. */
export function wasmMatmul(ctx: WasmContext): Pick<Backend, 'matmul'> {
  const { wk, k } = ctx;

  function matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    n: number,
    kk: number,
    ta: boolean,
    tb: boolean,
    acc: boolean,
  ): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
      referenceBackend.matmul(a, b, out, m, n, kk, ta, tb, acc);
      return;
    }
    const mark = wk.mark();
    const ap = wk.input(a.subarray(0, m * kk));
    const bp = wk.input(b.subarray(0, kk * n));
    const c = wk.output(out.subarray(0, m * n), acc);
    if (tb && !ta) {
      k.gemmNT(ap, bp, c.ptr, m, n, kk, +acc);
    } else if (tb) {
      const pa = wk.alloc(k.packedASize(m, kk));
      const pb = wk.alloc(k.packedBSize(kk, n));
      k.packA(ap, m, kk, 1, pa);
      k.packB(bp, kk, n, 1, pb);
      k.gemm(pa, pb, kk * 32, 32, c.ptr, m, n, kk, n, +acc);
    } else {
      const pa = wk.alloc(k.packedASize(m, kk));
      k.packA(ap, m, kk, +ta, pa);
      k.gemm(pa, bp, 32, n * 4, c.ptr, m, n, kk, n, +acc);
    }
    c.done();
    wk.release(mark);
  }

  return { matmul };
}
