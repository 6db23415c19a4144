import { referenceBackend } from '../../reference/index.js';
import type { Backend, FloatArray, NumArray } from '../../types.js';
import type { WasmContext } from './context.js';

/** The negative log-likelihood loss over rows, and its gradient. */
export function wasmLoss(ctx: WasmContext): Pick<Backend, 'nllLoss' | 'nllLossBackward'> {
  const { wk, k } = ctx;

  function nllLoss(logp: FloatArray, target: NumArray, loss: FloatArray, n: number, c: number): void {
    if (!ctx.resident(logp, loss)) return referenceBackend.nllLoss(logp, target, loss, n, c);
    const mark = wk.mark();
    const bad = k.nllRows(logp.byteOffset, wk.input(Float32Array.from(target)), loss.byteOffset, n, c);
    wk.release(mark);
    if (bad >= 0) referenceBackend.nllLoss(logp, target, loss, n, c);
  }

  function nllLossBackward(dloss: FloatArray, target: NumArray, dlogp: FloatArray, n: number, c: number): void {
    if (!ctx.resident(dlogp)) return referenceBackend.nllLossBackward(dloss, target, dlogp, n, c);
    const mark = wk.mark();
    k.nllRowsBackward(wk.input(dloss as Float32Array), wk.input(Float32Array.from(target)), dlogp.byteOffset, n, c);
    wk.release(mark);
  }

  return { nllLoss, nllLossBackward };
}
