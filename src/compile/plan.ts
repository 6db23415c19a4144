import type { Backend } from '../backend/index.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { arrayKind, runOps, viewAt, type BoundOp, type EncodedOp } from '../backend/wasm/replay.js';
import {
  abortSplit,
  BARRIER_SLOTS,
  resetBarrier,
  splitBatchNorm,
  type SplitSide,
} from '../backend/wasm/split_batchnorm.js';
import { bernoulliScaleFill } from '../tensor/creation.js';
import { allocate, withFloatAllocator, type Storage } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { traceAllocator, traceBackendCalls, TraceError, type RandomFill } from './trace.js';

/** A loss function of (output, target), such as `F.nllLoss` or `F.crossEntropy`. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** How many plans each helper thread holds: the index of the next one. */
const helperPlans = new WeakMap<WasmKernels, number>();

/** A view of `a` moved `delta` bytes up in the same memory. */
function shifted<A extends Storage>(kernels: WasmKernels, a: A, delta: number): A {
  return viewAt(kernels, arrayKind(a)!, a.byteOffset + delta, a.length) as A;
}

/**
 * Forward, loss and backward of one batch size, traced once as a list of backend calls over
 * buffers planned in WebAssembly memory and replayed for every batch without the autograd layer.
 * With two parts, the main thread replays it on the first half of the batch and the helper thread
 * on the second half, each in a copy of the buffers of its own; the gradients and the loss are
 * then averaged in a fixed order. Batch norm's statistics are the whole batch's: the threads meet
 * at a barrier to add their sums (see split_batchnorm.ts). A loss whose mean divides by a weight of
 * the targets (class weights, ignored targets) reports it, and halves of unequal weight are
 * weighted by it instead (without batch norm; with it, such a batch is left to autograd). The
 * optimizer update stays with the caller.
 */
export class StepPlan {
  /**
   * The helper thread's copies of the inputs, loss, masks and loss denominator, where 0.5 is kept
   * for averaging, and two slots for the halves' factors when their denominators differ.
   */
  private readonly helper: {
    x: Float32Array;
    y: Storage;
    loss: Float32Array;
    masks: (Float32Array | Float64Array)[];
    denominator: Float32Array | null;
    half: number;
    factors: Float32Array;
  } | null;

  private constructor(
    private readonly kernels: WasmKernels,
    readonly parts: 1 | 2,
    private readonly ops: BoundOp[],
    readonly randomFills: RandomFill[],
    private readonly inputs: { x: Float32Array; y: Storage },
    private readonly loss: Float32Array,
    /** Per parameter, its gradient in the main thread's buffers (null where it gets none). */
    readonly grads: (Tensor | null)[],
    private readonly delta: number,
    private readonly helperPlan: number,
    /** What the loss divides by on the main thread's half, when it reported it. */
    private readonly denominator: Float32Array | null,
    /** Where the two threads meet in a split step's batch norm, and the buffers its first thread updates. */
    private readonly shared: { barrier: Int32Array; state: Storage[]; saved: Storage[] } | null,
  ) {
    const moved = <A extends Storage>(a: A) => shifted(kernels, a, delta);
    this.helper = null;
    if (parts === 2) {
      const half = kernels.alloc(1);
      kernels.f32(half, 1)[0] = 0.5;
      this.helper = {
        x: moved(inputs.x),
        y: moved(inputs.y),
        loss: moved(loss),
        masks: randomFills.map((r) => moved(r.out)),
        denominator: denominator && moved(denominator),
        half,
        factors: kernels.f32(kernels.alloc(2), 2),
      };
    }
  }

  /**
   * Traces one step of `x.shape[0]` samples (`parts` halves) on `replayBackend`, leaving the
   * buffers allocated; null where two parts were asked for a step of fewer than `minSplitMacs`
   * multiply-adds (handing half of it to the other thread would cost more than it saves). Throws
   * TraceError where the step cannot be replayed.
   */
  static trace(
    kernels: WasmKernels,
    replayBackend: Backend,
    model: Module,
    lossFn: LossFn,
    optimizer: Optimizer<object>,
    x: Tensor,
    y: Tensor,
    parts: 1 | 2,
    minSplitMacs = 0,
  ): StepPlan | null {
    if (x.dtype !== 'float32') throw new TraceError(`the input is ${x.dtype}; traced steps take float32 input`);
    const batch = x.shape[0];
    const rows = batch / parts;
    // Below the region: both threads use the one barrier.
    const barrier = parts === 2 ? kernels.int32(kernels.alloc(BARRIER_SLOTS), BARRIER_SLOTS) : null;
    const side: SplitSide = { side: 0, delta: null };
    const start = kernels.mark();
    const alloc = traceAllocator(kernels);
    const inputs = withFloatAllocator(alloc, () => ({
      x: new Tensor(allocate('float32', rows * (x.numel() / batch)), [rows, ...x.shape.slice(1)], 'float32'),
      y: new Tensor(allocate(y.dtype, rows * (y.numel() / batch)), [rows, ...y.shape.slice(1)], y.dtype),
    }));
    inputs.x.data.set(x.values().subarray(0, inputs.x.numel()));
    inputs.y.data.set(y.values().subarray(0, inputs.y.numel()));
    const state = model.parametersAndBuffers().buffers.map((b) => b.data);
    const trace = traceBackendCalls(
      kernels,
      replayBackend,
      start,
      () => {
        optimizer.zeroGrad();
        const loss = lossFn(model.forward(inputs.x), inputs.y);
        loss.backward();
        return loss;
      },
      { parts, state, split: barrier ? { calls: splitBatchNorm(kernels, side), barrier } : undefined },
    );
    const loss = trace.result;
    if (loss.numel() !== 1 || loss.dtype !== 'float32')
      throw new TraceError(`the loss is a ${loss.dtype} tensor of ${loss.numel()} elements, not one float32 number`);
    if (trace.denominators.length > 1) throw new TraceError('the loss reported more than one denominator');
    const params = [...model.parameters()];
    const grads = params.map((p) => p.grad);
    for (const g of grads) {
      if (
        g &&
        !(g.data instanceof Float32Array && kernels.owns(g.data) && g.data.byteOffset >= start && g.isContiguous())
      ) {
        throw new TraceError('a gradient was not made by the traced step');
      }
    }
    if (parts === 2 && trace.macs * 2 < minSplitMacs) {
      for (const r of [...trace.randomFills].reverse()) r.generator.setState(r.before);
      return null;
    }
    let delta = 0;
    let helperPlan = -1;
    if (parts === 2) {
      const end = kernels.mark();
      delta = kernels.alloc((end - start) / 4) - start;
      side.delta = delta;
      const scratch = kernels.alloc(trace.scratchBytes / 4);
      helperPlan = loadIntoHelper(kernels, trace.encoded, delta, scratch);
    }
    const lossView = (loss.data as Float32Array).subarray(loss.offset, loss.offset + 1);
    return new StepPlan(
      kernels,
      parts,
      trace.ops,
      trace.randomFills,
      { x: inputs.x.data as Float32Array, y: inputs.y.data },
      lossView,
      grads,
      delta,
      helperPlan,
      trace.denominators[0] ?? null,
      trace.sharedStatistics > 0 ? { barrier: barrier!, state, saved: state.map((b) => b.slice()) } : null,
    );
  }

  /**
   * Runs forward, loss and backward on a batch; leaves each parameter's `.grad` set and returns the
   * loss. Returns null, with the buffers as they were, where the split step's batch norm cannot
   * serve this batch: its halves weigh differently in the loss (ignored targets, class weights).
   */
  run(params: Tensor[], x: Tensor, y: Tensor): number | null {
    const { kernels, delta, helper, shared } = this;
    const xv = x.values();
    const yv = y.values();
    const { x: xin, y: yin } = this.inputs;
    xin.set(xv.subarray(0, xin.length));
    yin.set(yv.subarray(0, yin.length));
    if (helper) {
      helper.x.set(xv.subarray(xin.length, 2 * xin.length));
      helper.y.set(yv.subarray(yin.length, 2 * yin.length));
    }
    // The eager step draws each mask for the whole batch: the first half's rows, then the second's.
    this.randomFills.forEach((r, i) => {
      bernoulliScaleFill(r.out, r.keep, r.generator);
      if (helper) bernoulliScaleFill(helper.masks[i], r.keep, r.generator);
    });
    let loss: number;
    if (helper) {
      if (shared) {
        resetBarrier(shared.barrier);
        shared.state.forEach((b, i) => shared.saved[i].set(b));
      }
      kernels.helper!.run('runPlan', [this.helperPlan], () => {
        try {
          runOps(this.ops);
        } catch (e) {
          if (shared) abortSplit(shared.barrier);
          throw e;
        }
      });
      const [c1, c2] = [this.denominator?.[0] ?? 1, helper.denominator?.[0] ?? 1];
      if (c1 === c2) {
        loss = Math.fround((this.loss[0] + helper.loss[0]) / 2);
        for (const g of this.grads) {
          if (!g) continue;
          const at = g.data.byteOffset;
          kernels.k.binary(0, at, at + delta, 1, at, g.data.length);
          kernels.k.binary(2, at, helper.half, 0, at, g.data.length);
        }
      } else if (shared) {
        // Each half's gradients were scaled by its own weight, and batch norm's sums mixed them.
        shared.state.forEach((b, i) => b.set(shared.saved[i]));
        return null;
      } else {
        loss = this.combineWeighted(c1, c2);
      }
    } else {
      runOps(this.ops);
      loss = this.loss[0];
    }
    params.forEach((p, i) => (p.grad = this.grads[i]));
    return loss;
  }

  /**
   * Loss and gradients of halves whose means divide by `c1` and `c2`: (c1 g1 + c2 g2) / (c1 + c2).
   * A half whose targets weigh nothing (all ignored) has a NaN mean and counts for nothing.
   */
  private combineWeighted(c1: number, c2: number): number {
    const { kernels, delta, helper } = this;
    const f = helper!.factors;
    if (c2 === 0) return this.loss[0];
    if (c1 === 0) {
      f[0] = 1;
      for (const g of this.grads) {
        if (g) kernels.k.binary(2, g.data.byteOffset + delta, f.byteOffset, 0, g.data.byteOffset, g.data.length);
      }
      return helper!.loss[0];
    }
    f[0] = c1 / (c1 + c2);
    f[1] = c2 / (c1 + c2);
    const [f1, f2] = [f.byteOffset, f.byteOffset + 4];
    for (const g of this.grads) {
      if (!g) continue;
      const at = g.data.byteOffset;
      kernels.k.binary(2, at, f1, 0, at, g.data.length);
      kernels.k.binary(2, at + delta, f2, 0, at + delta, g.data.length);
      kernels.k.binary(0, at, at + delta, 1, at, g.data.length);
    }
    return Math.fround(f[0] * this.loss[0] + f[1] * helper!.loss[0]);
  }
}

/** Writes the encoded calls into memory for the helper to read; returns the plan's index there. */
function loadIntoHelper(kernels: WasmKernels, encoded: EncodedOp[], delta: number, scratch: number): number {
  const bytes = new TextEncoder().encode(JSON.stringify(encoded));
  const mark = kernels.mark();
  const ptr = kernels.alloc(Math.ceil(bytes.length / 4));
  kernels.u8(ptr, bytes.length).set(bytes);
  kernels.helper!.run('loadPlan', [ptr, bytes.length, delta, scratch], () => {});
  kernels.release(mark);
  const index = helperPlans.get(kernels) ?? 0;
  helperPlans.set(kernels, index + 1);
  return index;
}
