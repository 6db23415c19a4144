import { activeWasmKernels } from '../backend/index.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { withFloatAllocator } from '../tensor/dtype.js';
import { inArena } from './arena.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { buildPlan } from './build_plan.js';
import { StepPlan, type LossFn } from './plan.js';

export type { LossFn };

/** One training step: zero the gradients, forward, loss, backward, update; returns the loss. */
export interface TrainStep {
  (x: Tensor, y: Tensor): number;
  /** True once steps run in WebAssembly memory; false when it runs eagerly, see `reason`. */
  readonly compiled: boolean;
  /** Why the step runs eagerly, when it does. */
  readonly reason: string | null;
  /** Whether the last step replayed a traced plan (on both threads where there are two). */
  readonly traced: boolean;
  /** Why the last step ran through the autograd layer instead of a traced plan, when it did. */
  readonly traceReason: string | null;
  /** Whether the last traced step was split between two threads, each replaying half the batch. */
  readonly split: boolean;
}

/** The tutorial's four lines, eagerly: zeroGrad, forward and loss, backward, step; returns the loss. */
export function eagerStep(model: Module, lossFn: LossFn, optimizer: Optimizer<object>, x: Tensor, y: Tensor): number {
  optimizer.zeroGrad();
  const loss = lossFn(model.forward(x), y);
  loss.backward();
  optimizer.step();
  return loss.item();
}

/** Why a model's tensors cannot move into WebAssembly memory, or null when they can. */
function unsupported(model: Module, kernels: WasmKernels | null): string | null {
  if (!kernels) return 'the WebAssembly SIMD backend is not active (no SIMD support, or TORCHLIT_BACKEND=reference)';
  for (const [name, p] of model.namedParameters()) {
    if (p.dtype !== 'float32') return `parameter ${name} is ${p.dtype}; compiled steps train float32 models`;
    if (p.offset !== 0 || !p.isContiguous()) return `parameter ${name} is a view into another tensor's storage`;
  }
  return null;
}

/** Moves a float32, float64 or int64 tensor's values into persistent WebAssembly memory (it keeps its identity). */
function moveInto(kernels: WasmKernels, t: Tensor): void {
  if (kernels.owns(t.data)) return;
  const n = t.numel();
  let view: Float32Array | Float64Array;
  if (t.dtype === 'float32') view = kernels.f32(kernels.alloc(n), n);
  else if (t.dtype === 'float64' || t.dtype === 'int64') view = kernels.f64(kernels.alloc(2 * n), n);
  else return;
  view.set(t.values());
  t.data = view;
}

/** At most this many traced plans per step (batch sizes times train/eval modes); others run through autograd. */
const MAX_PLANS = 8;

/**
 * Compiles a training step. Parameters and optimizer state move into WebAssembly memory. For
 * each batch size, the first step traces forward, loss and backward into a plan of kernel calls
 * over buffers planned in that memory, checks it against the autograd layer on that batch, and
 * from then on replays it, split over both threads (each replays half the batch in buffers of its
 * own, batch norm's statistics shared between them, and the gradients are averaged in a fixed
 * order), with no allocation and no garbage. Steps that cannot be traced (random draws other than
 * dropout, data-dependent code) run through the autograd layer in a per-step arena instead, with
 * the reason in `traceReason`. The
 * optimizer update runs as written. Results stay within rounding of the eager step and are the
 * same for the same seed, run after run. After a step, parameter `.grad`s hold that step's
 * gradients only until the next step.
 */
export function compileStep(model: Module, lossFn: LossFn, optimizer: Optimizer<object>): TrainStep {
  const kernels = activeWasmKernels();
  const reason = unsupported(model, kernels);
  // Starts the helper thread now: it loads its modules while the first batch is prepared.
  if (!reason) void kernels!.helper;
  const plans = new Map<string, StepPlan | string>();
  let steps = 0;
  let traced = false;
  let traceReason: string | null = null;
  let split = false;
  let stateSize = -1;

  const step = (x: Tensor, y: Tensor): number => {
    if (reason) return eagerStep(model, lossFn, optimizer, x, y);
    steps++;
    // Float buffers (running statistics) move too: a plan reads them where they lie, never a copy.
    const { parameters: params, buffers } = model.parametersAndBuffers();
    for (const t of params) moveInto(kernels!, t);
    for (const b of buffers) moveInto(kernels!, b);
    const key = planKey(model, [...params, ...buffers], x, y);
    let plan = plans.get(key);
    let loss: number | null = null;
    if (plan === undefined && plans.size < MAX_PLANS) {
      const built = buildPlan(kernels!, model, lossFn, optimizer, x, y);
      plan = 'plan' in built ? built.plan : built.reason;
      plans.set(key, plan);
      if ('loss' in built) loss = built.loss;
    } else if (plan instanceof StepPlan) {
      loss = plan.run(params, x, y);
    }
    traced = loss !== null;
    split = traced && plan instanceof StepPlan && plan.parts === 2;
    traceReason = traced
      ? null
      : typeof plan === 'string'
        ? plan
        : plan instanceof StepPlan
          ? "the batch's halves weigh differently in the loss (ignored targets, class weights), which the split step's batch norm cannot combine"
          : `more than ${MAX_PLANS} batch shapes or modes`;
    if (loss === null) return arenaStep(x, y);
    withFloatAllocator(null, () => optimizer.step());
    migrateState();
    return loss;
  };

  /** Forward, loss, backward and update through the autograd layer, every intermediate in an arena. */
  function arenaStep(x: Tensor, y: Tensor): number {
    const value = inArena(kernels!, () => {
      optimizer.zeroGrad();
      const loss = lossFn(model.forward(x), y);
      loss.backward();
      // Optimizer state made now (a parameter's first gradient) must outlive the arena.
      withFloatAllocator(null, () => optimizer.step());
      return loss.item();
    });
    migrateState();
    return value;
  }

  function migrateState(): void {
    if (optimizer.state.size === stateSize) return;
    stateSize = optimizer.state.size;
    for (const s of optimizer.state.values())
      for (const v of Object.values(s)) if (v instanceof Tensor) moveInto(kernels!, v);
  }

  Object.defineProperty(step, 'compiled', { get: () => !reason && steps > 0 });
  Object.defineProperty(step, 'reason', { value: reason });
  Object.defineProperty(step, 'traced', { get: () => traced });
  Object.defineProperty(step, 'traceReason', { get: () => traceReason });
  Object.defineProperty(step, 'split', { get: () => split });
  return step as TrainStep;
}

/** What a traced plan depends on besides the parameters' values. */
function planKey(model: Module, params: Tensor[], x: Tensor, y: Tensor): string {
  const modes = [...model.modules()].map((m) => (m.training ? 1 : 0)).join('');
  const where = params.map((p) => `${p.data.byteOffset}${p.requiresGrad ? '' : 'f'}`).join(',');
  return `${x.shape.join('x')}|${y.shape.join('x')}|${x.dtype}|${y.dtype}|${modes}|${where}`;
}
