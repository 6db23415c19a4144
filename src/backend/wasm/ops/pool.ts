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
    const [inPlane, outPlane] = [4 * g.h * g.w, 4 * g.oh * g.ow];
    const range = (p0: number, p1: number) =>
      [
        xp + p0 * inPlane,
        o.ptr + p0 * outPlane,
        ap + p0 * outPlane,
        p1 - p0,
        g.h,
        g.w,
        g.kh,
        g.kw,
        g.sh,
        g.sw,
        g.ph,
        g.pw,
        g.oh,
        g.ow,
      ] as const;
    ctx.halves(
      'maxPoolForward',
      g.n * g.c,
      x.length,
      (p0, p1) => k.maxPoolForward(...range(p0, p1)),
      (p0, p1) => [...range(p0, p1)],
    );
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
    const [inPlane, outPlane] = [g.h * g.w, g.oh * g.ow];
    const range = (p0: number, p1: number) =>
      [dyp + 4 * p0 * outPlane, ap + 4 * p0 * outPlane, d.ptr + 4 * p0 * inPlane, p1 - p0, inPlane, outPlane] as const;
    ctx.halves(
      'maxPoolBackward',
      g.n * g.c,
      dx.length,
      (p0, p1) => k.maxPoolBackward(...range(p0, p1)),
      (p0, p1) => [...range(p0, p1)],
    );
    d.done();
    wk.release(mark);
  }

  return { maxPool2dForward, maxPool2dBackward };
}
