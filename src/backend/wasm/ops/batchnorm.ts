import { referenceBackend } from '../../reference/index.js';
import type { Backend, FloatArray } from '../../types.js';
import type { Job } from '../protocol.js';
import type { WasmContext } from './context.js';

type BatchNormOps = Pick<Backend, 'batchNormStats' | 'batchNormApply' | 'batchNormBackward'>;

/** Batch normalisation's three passes, the channels split between the two threads. */
export function wasmBatchNorm(ctx: WasmContext): BatchNormOps {
  const { k, wk } = ctx;
  const ptr = (a: FloatArray | null) => (a ? a.byteOffset : 0);

  /** Runs `range(c0, c1)` over the channels: the first half here, the second on the helper when worth it. */
  function channels(job: Job, c: number, elements: number, args: number[], range: (c0: number, c1: number) => void) {
    ctx.halves(job, c, elements, range, (c0, c1) => [...args, c0, c1]);
  }

  const batchNormStats: BatchNormOps['batchNormStats'] = (
    x,
    mean,
    invstd,
    runMean,
    runVar,
    tracked,
    n,
    c,
    hw,
    eps,
    momentum,
  ) => {
    if (!ctx.resident(x, mean, invstd, runMean, runVar) || (tracked && !ctx.wk.owns(tracked)))
      return referenceBackend.batchNormStats(x, mean, invstd, runMean, runVar, tracked, n, c, hw, eps, momentum);
    if (tracked) tracked[0] += 1;
    const track = runMean && runVar;
    const factor = track ? (momentum ?? (tracked ? 1 / tracked[0] : 0)) : 0;
    const args = [
      ptr(x),
      ptr(mean),
      ptr(invstd),
      track ? ptr(runMean) : 0,
      track ? ptr(runVar) : 0,
      n,
      c,
      hw,
      eps,
      factor,
    ];
    channels('batchNormStatsRange', c, x.length, args, (c0, c1) =>
      k.batchNormStatsRange(args[0], args[1], args[2], args[3], args[4], n, c, hw, eps, factor, c0, c1),
    );
  };

  const batchNormApply: BatchNormOps['batchNormApply'] = (x, mean, stat, weight, bias, out, n, c, hw, eps, fromVar) => {
    const arrays = [x, mean, stat, weight, bias, out];
    if (!arrays.every((a) => a === null || a instanceof Float32Array))
      return referenceBackend.batchNormApply(x, mean, stat, weight, bias, out, n, c, hw, eps, fromVar);
    // Evaluation normalises with the running statistics, which live outside WebAssembly memory.
    const mark = wk.mark();
    const input = (a: FloatArray | null) => (a ? wk.input(a as Float32Array) : 0);
    const o = wk.output(out as Float32Array);
    const args = [input(x), input(mean), input(stat), input(weight), input(bias), o.ptr, n, c, hw, eps, +fromVar];
    channels('batchNormApplyRange', c, x.length, args, (c0, c1) =>
      k.batchNormApplyRange(args[0], args[1], args[2], args[3], args[4], args[5], n, c, hw, eps, +fromVar, c0, c1),
    );
    o.done();
    wk.release(mark);
  };

  const batchNormBackward: BatchNormOps['batchNormBackward'] = (
    x,
    dy,
    mean,
    stat,
    weight,
    dx,
    dweight,
    dbias,
    n,
    c,
    hw,
    eps,
    fromVar,
  ) => {
    if (!ctx.resident(x, dy, mean, stat, weight, dx, dweight, dbias))
      return referenceBackend.batchNormBackward(x, dy, mean, stat, weight, dx, dweight, dbias, n, c, hw, eps, fromVar);
    const a = [ptr(x), ptr(dy), ptr(mean), ptr(stat), ptr(weight), ptr(dx), ptr(dweight), ptr(dbias)];
    channels('batchNormBackwardRange', c, x.length, [...a, n, c, hw, eps, +fromVar], (c0, c1) =>
      k.batchNormBackwardRange(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], n, c, hw, eps, +fromVar, c0, c1),
    );
  };

  return { batchNormStats, batchNormApply, batchNormBackward };
}
