import { referenceBackend } from '../../reference/index.js';
import type { Backend, Conv2dGeometry, FloatArray } from '../../types.js';
import type { WasmContext } from './context.js';

/** Max pooling forward and backward, with the argmax of each window. */
export function wasmPool(ctx: WasmContext): Pick<Backend, 'maxPool2dForward' | 'maxPool2dBackward'> {
  const { wk, k } = ctx;

  function maxPool2dForward(x: FloatArray, out: FloatArray, argmax: Int32Array, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array && out instanceof Float32Array))
      return referenceBackend.maxPool2dForward(x, out, argmax, g);
    const mark = wk.mark();
    const xp = wk.input(x);
    const o = wk.output(out);
    const resident = wk.owns(argmax);
    const ap = resident ? argmax.byteOffset : wk.alloc(argmax.length);
    k.maxPoolForward(xp, o.ptr, ap, g.n * g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow);
    if (!resident) argmax.set(wk.int32(ap, argmax.length));
    o.done();
    wk.release(mark);
  }

  function maxPool2dBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, g: Conv2dGeometry): void {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array))
      return referenceBackend.maxPool2dBackward(dy, argmax, dx, g);
    const mark = wk.mark();
    const dyp = wk.input(dy);
    const ap = wk.owns(argmax) ? argmax.byteOffset : wk.putInt32(argmax);
    const d = wk.output(dx);
    k.maxPoolBackward(dyp, ap, d.ptr, g.n * g.c, g.h * g.w, g.oh * g.ow);
    d.done();
    wk.release(mark);
  }

  return { maxPool2dForward, maxPool2dBackward };
}
