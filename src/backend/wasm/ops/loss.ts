import { referenceBackend } from '../../reference/index.js';
import type { Backend, FloatArray, NumArray } from '../../types.js';
import type { WasmContext } from './context.js';

/** The negative log-likelihood loss over rows, and its gradient; class weights and an ignored class that is a class index run in the reference kernels. */
export function wasmLoss(ctx: WasmContext): Pick<Backend, 'nllLoss' | 'nllLossBackward'> {
  const { wk, k } = ctx;
  const plain = (weight: FloatArray | null, ignoreIndex: number, c: number) =>
    weight === null && !(ignoreIndex >= 0 && ignoreIndex < c);

  function nllLoss(
    logp: FloatArray,
    target: NumArray,
    loss: FloatArray,
    n: number,
    c: number,
    weight: FloatArray | null,
    ignoreIndex: number,
    rowWeight: FloatArray,
  ): void {
    if (!ctx.resident(logp, loss) || !plain(weight, ignoreIndex, c))
      return referenceBackend.nllLoss(logp, target, loss, n, c, weight, ignoreIndex, rowWeight);
    const mark = wk.mark();
    const bad = k.nllRows(logp.byteOffset, wk.input(Float32Array.from(target)), loss.byteOffset, n, c);
    wk.release(mark);
    if (bad >= 0) referenceBackend.nllLoss(logp, target, loss, n, c, weight, ignoreIndex, rowWeight);
    else rowWeight.fill(1, 0, n);
  }

  function nllLossBackward(
    dloss: FloatArray,
    target: NumArray,
    dlogp: FloatArray,
    n: number,
    c: number,
    weight: FloatArray | null,
    ignoreIndex: number,
  ): void {
    // An ignored target outside [0, c) is out of the kernel's range: the reference kernel skips it.
    let ignored = false;
    for (let i = 0; i < n && !ignored; i++) ignored = target[i] === ignoreIndex;
    if (!ctx.resident(dlogp) || !plain(weight, ignoreIndex, c) || ignored)
      return referenceBackend.nllLossBackward(dloss, target, dlogp, n, c, weight, ignoreIndex);
    const mark = wk.mark();
    k.nllRowsBackward(wk.input(dloss as Float32Array), wk.input(Float32Array.from(target)), dlogp.byteOffset, n, c);
    wk.release(mark);
  }

  return { nllLoss, nllLossBackward };
}
