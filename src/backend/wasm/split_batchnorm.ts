// Batch normalisation in a training step split between two threads, each replaying half the
// batch: each thread sums its own samples, the two meet at a barrier, and each adds the two
// threads' sums in the same order (the first half's first), so both normalise by the whole
// batch's statistics, the same values on both.
import type { WasmKernels } from './kernels.js';

/** The Int32 slots of a split step's barrier: each thread's arrivals, then a flag a failing thread raises. */
export const BARRIER_SLOTS = 4;
const ABORT = 2;
/** How long a thread waits at a barrier for the other before it gives up (a thread that died without a word). */
const BARRIER_TIMEOUT_MS = 60_000;

/** Which half of the batch a thread replays, and where the other half's buffers are. */
export interface SplitSide {
  /** 0: the main thread, the batch's first half; 1: the helper thread, the second. */
  side: 0 | 1;
  /** Bytes from the main thread's buffers up to the helper's; null while a step is traced on one thread. */
  delta: number | null;
}

/** The calls a split trace records in place of batchNormStats and batchNormBackward, and the arguments they write. */
export const SPLIT_OUTPUTS = {
  batchNormStatsSplit: [1, 2, 3, 4, 5, 11],
  batchNormBackwardSplit: [5, 6, 7, 13],
} as const;
export type SplitMethod = keyof typeof SPLIT_OUTPUTS;

/** Waits until the other thread has arrived as often as this one; throws where it failed or never comes. */
export function arrive(barrier: Int32Array, side: 0 | 1): void {
  const mine = Atomics.add(barrier, side, 1) + 1;
  let polls = 0;
  let since = 0;
  while (Atomics.load(barrier, 1 - side) < mine) {
    if (++polls % 4096 !== 0) continue;
    if (Atomics.load(barrier, ABORT) !== 0) throw new Error('the other thread of a split training step failed');
    since ||= performance.now();
    if (performance.now() - since > BARRIER_TIMEOUT_MS)
      throw new Error(
        `the other thread of a split training step did not reach batch norm within ${BARRIER_TIMEOUT_MS / 1000} s`,
      );
  }
}

/** Tells the other thread, waiting or about to wait at the barrier, that this one failed. */
export function abortSplit(barrier: Int32Array): void {
  Atomics.store(barrier, ABORT, 1);
}

/** Readies the barrier for a step, before the helper is handed its half. */
export function resetBarrier(barrier: Int32Array): void {
  for (let i = 0; i < BARRIER_SLOTS; i++) Atomics.store(barrier, i, 0);
}

type F32 = Float32Array;

/** The split calls for one thread, over `wk`'s instance of the kernels. */
export function splitBatchNorm(wk: WasmKernels, at: SplitSide): Record<SplitMethod, (...args: never[]) => void> {
  const partners = new Map<number, Float64Array>();
  /** The other thread's sums beside `own`, or null on one thread. */
  const partner = (own: Float64Array): Float64Array | null => {
    if (at.delta === null) return null;
    let p = partners.get(own.byteOffset);
    if (!p) {
      p = wk.f64(own.byteOffset + (at.side === 0 ? at.delta : -at.delta), own.length);
      partners.set(own.byteOffset, p);
    }
    return p;
  };
  /** The whole batch's sum at index i: the first half's plus the second's. */
  const total = (own: Float64Array, other: Float64Array | null, i: number) =>
    other === null ? own[i] : at.side === 0 ? own[i] + other[i] : other[i] + own[i];

  function batchNormStatsSplit(
    x: F32,
    mean: F32,
    invstd: F32,
    runMean: F32 | null,
    runVar: F32 | null,
    tracked: Float64Array | null,
    n: number,
    c: number,
    hw: number,
    eps: number,
    momentum: number | null,
    partials: Float64Array,
    barrier: Int32Array,
  ): void {
    const other = partner(partials);
    const count = n * hw * (other ? 2 : 1);
    wk.k.batchNormPartialSums(x.byteOffset, 0, n, c, hw, partials.byteOffset);
    if (other) arrive(barrier, at.side);
    for (let ch = 0; ch < c; ch++) mean[ch] = total(partials, other, ch) / count;
    wk.k.batchNormPartialSums(x.byteOffset, mean.byteOffset, n, c, hw, partials.byteOffset + 8 * c);
    if (other) arrive(barrier, at.side);
    // The running statistics are shared: the first thread updates them.
    const running = at.side === 0 && runMean && runVar ? { runMean, runVar } : null;
    if (running && tracked) tracked[0] += 1;
    const factor = running ? (momentum ?? (tracked ? 1 / tracked[0] : 0)) : 0;
    for (let ch = 0; ch < c; ch++) {
      const squares = total(partials, other, c + ch);
      invstd[ch] = 1 / Math.sqrt(squares / count + eps);
      if (running) {
        running.runMean[ch] = factor * mean[ch] + (1 - factor) * running.runMean[ch];
        running.runVar[ch] = factor * (squares / (count - 1)) + (1 - factor) * running.runVar[ch];
      }
    }
  }

  /** Each thread's dweight and dbias are its own half's (the step averages the threads' gradients); dx takes the whole batch's sums. */
  function batchNormBackwardSplit(
    x: F32,
    dy: F32,
    mean: F32,
    invstd: F32,
    weight: F32 | null,
    dx: F32 | null,
    dweight: F32 | null,
    dbias: F32 | null,
    n: number,
    c: number,
    hw: number,
    _eps: number,
    _fromVar: boolean,
    partials: Float64Array,
    barrier: Int32Array,
  ): void {
    const ptr = (a: F32 | null) => (a ? a.byteOffset : 0);
    const other = partner(partials);
    const [xp, dyp, mp, ip] = [x.byteOffset, dy.byteOffset, mean.byteOffset, invstd.byteOffset];
    wk.k.batchNormGradientSums(xp, dyp, mp, ip, ptr(dweight), ptr(dbias), n, c, hw, partials.byteOffset);
    if (!dx) return;
    if (other) arrive(barrier, at.side);
    const [first, second] = other === null ? [partials, null] : at.side === 0 ? [partials, other] : [other, partials];
    const count = n * hw * (other ? 2 : 1);
    wk.k.batchNormGradInputSplit(
      xp,
      dyp,
      mp,
      ip,
      ptr(weight),
      dx.byteOffset,
      n,
      c,
      hw,
      first.byteOffset,
      second ? second.byteOffset : 0,
      count,
    );
  }

  return { batchNormStatsSplit, batchNormBackwardSplit };
}
