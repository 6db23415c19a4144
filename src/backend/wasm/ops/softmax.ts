import { referenceBackend } from '../../reference/index.js';
import type { Backend, FloatArray } from '../../types.js';
import type { WasmContext } from './context.js';

/** Softmax and log-softmax over rows, and their gradients. */
export function wasmSoftmax(ctx: WasmContext): Pick<Backend, 'softmax' | 'softmaxBackward'> {
  const { k } = ctx;

  function softmax(x: FloatArray, out: FloatArray, outer: number, size: number, inner: number, log: boolean): void {
    if (inner !== 1 || !ctx.resident(x, out)) return referenceBackend.softmax(x, out, outer, size, inner, log);
    k.softmaxRows(x.byteOffset, out.byteOffset, outer, size, +log);
  }

  function softmaxBackward(
    dy: FloatArray,
    y: FloatArray,
    dx: FloatArray,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): void {
    if (inner !== 1 || !ctx.resident(dy, y, dx))
      return referenceBackend.softmaxBackward(dy, y, dx, outer, size, inner, log);
    k.softmaxRowsBackward(dy.byteOffset, y.byteOffset, dx.byteOffset, outer, size, +log);
  }

  return { softmax, softmaxBackward };
}
