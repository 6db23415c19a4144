import { activeWasmKernels } from '../backend/index.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { withFloatAllocator } from '../tensor/dtype.js';
import { inArena } from './arena.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';

export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** One training step: zero the gradients, forward, loss, backward, update; returns the loss. */
export interface TrainStep {
  (x: Tensor, y: Tensor): number;
  /** True once steps run in WebAssembly memory; false when it runs eagerly, see `reason`. */
  readonly compiled: boolean;
  /** Why the step runs eagerly, when it does. */
  readonly reason: string | null;
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

/** Moves a tensor's values into persistent WebAssembly memory (it keeps its identity). */
function moveInto(kernels: WasmKernels, t: Tensor): void {
  if (kernels.owns(t.data) || t.dtype !== 'float32') return;
  const view = kernels.f32(kernels.alloc(t.numel()), t.numel());
  view.set(t.values());
  t.data = view;
}

/**
 * Compiles a training step. The first call runs eagerly and creates the optimizer's state; then
 * parameters and optimizer state move into WebAssembly memory, and every later call takes each
 * intermediate tensor from a per-step arena there, released when the step ends: no garbage to
 * collect, and the SIMD kernels work in place without copying. The numbers are the eager ones.
 * After a step, parameter `.grad`s hold that step's gradients only until the next step.
 */
export function compileStep(model: Module, lossFn: LossFn, optimizer: Optimizer<object>): TrainStep {
  const kernels = activeWasmKernels();
  const reason = unsupported(model, kernels);
  let steps = 0;
  const step = (x: Tensor, y: Tensor): number => {
    if (reason || steps++ === 0) {
      const loss = eagerStep(model, lossFn, optimizer, x, y);
      if (!reason) migrate();
      return loss;
    }
    const value = inArena(kernels!, () => {
      optimizer.zeroGrad();
      const loss = lossFn(model.forward(x), y);
      loss.backward();
      // Optimizer state made now (a parameter's first gradient) must outlive the arena.
      withFloatAllocator(null, () => optimizer.step());
      return loss.item();
    });
    if (optimizer.state.size !== stateSize) migrate();
    return value;
  };
  let stateSize = 0;
  function migrate(): void {
    stateSize = optimizer.state.size;
    for (const p of model.parameters()) {
      moveInto(kernels!, p);
      p.grad = null;
    }
    for (const s of optimizer.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) moveInto(kernels!, v);
  }
  Object.defineProperty(step, 'compiled', { get: () => !reason && steps > 1 });
  Object.defineProperty(step, 'reason', { value: reason });
  return step as TrainStep;
}
