import { backend } from '../backend/index.js';
import { createWasmBackend } from '../backend/wasm/backend.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { defaultGenerator, type Generator, type GeneratorState } from '../tensor/generator.js';
import type { Storage } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { inArena } from './arena.js';
import { StepPlan, type LossFn } from './plan.js';
import { WholeBatchError } from './trace.js';

/**
 * Steps with fewer multiply-adds run on one thread: for the small MLPs, handing half a step to
 * the other thread cost more than it saved (fmnist-v0 0.47 vs 0.16 ms a step; net, at 92 million,
 * gains 15%).
 */
const MIN_SPLIT_MACS = 20_000_000;

/** How far a traced gradient may stray from the eager one, relative to its largest entry. */
const GRAD_TOLERANCE = 1e-3;

const singleThreaded = new WeakMap<WasmKernels, ReturnType<typeof createWasmBackend>>();

/** Generator states to put back after a dry run. */
class Snapshot {
  private readonly states = new Map<Generator, GeneratorState>();

  add(g: Generator, state = g.getState()): void {
    if (!this.states.has(g)) this.states.set(g, state);
  }

  restore(): void {
    for (const [g, s] of this.states) g.setState(s);
  }

  /** Whether every generator is where `other` found it. */
  matches(other: Map<Generator, string>): boolean {
    return [...this.states.keys()].every((g) => JSON.stringify(g.getState()) === other.get(g));
  }

  current(): Map<Generator, string> {
    return new Map([...this.states.keys()].map((g) => [g, JSON.stringify(g.getState())]));
  }
}

/** The values of a model's buffers (running statistics), to put back after a dry run or compare. */
class BufferValues {
  readonly values: Storage[];

  constructor(private readonly buffers: Tensor[]) {
    this.values = buffers.map((b) => b.data.slice());
  }

  restore(): void {
    this.buffers.forEach((b, i) => b.data.set(this.values[i]));
  }

  /** The name of the first buffer whose values differ from `other`'s beyond rounding, or null. */
  mismatch(other: BufferValues, names: string[]): string | null {
    for (let i = 0; i < this.values.length; i++) {
      const [a, b] = [this.values[i], other.values[i]];
      const bound = GRAD_TOLERANCE * largest(Float32Array.from(b)) + 1e-7;
      for (let j = 0; j < a.length; j++) if (!(Math.abs(a[j] - b[j]) <= bound)) return names[i];
    }
    return null;
  }
}

/** The step as the autograd layer computes it, in a scratch arena: the reference a plan must match. */
function eagerGradients(
  kernels: WasmKernels,
  model: Module,
  lossFn: LossFn,
  optimizer: Optimizer<object>,
  x: Tensor,
  y: Tensor,
) {
  const params = [...model.parameters()];
  const result = inArena(kernels, () => {
    optimizer.zeroGrad();
    const loss = lossFn(model.forward(x), y);
    loss.backward();
    return {
      loss: loss.item(),
      grads: params.map((p) => (p.grad ? Float32Array.from(p.grad.values() as Float32Array) : null)),
    };
  });
  optimizer.zeroGrad();
  return result;
}

function largest(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function gradientMismatch(name: string, traced: Tensor | null, eager: Float32Array | null): string | null {
  if (!traced || !eager)
    return traced === eager ? null : `${name} gets a gradient in only one of the traced and eager steps`;
  const t = traced.data as Float32Array;
  const bound = GRAD_TOLERANCE * largest(eager) + 1e-7;
  for (let i = 0; i < eager.length; i++) {
    if (!(Math.abs(t[i] - eager[i]) <= bound))
      return `the gradient of ${name} differs between the traced and the eager step`;
  }
  return null;
}

/**
 * Traces a step for this batch, then checks it on this batch: the plan's loss and gradients must
 * match the autograd layer's, and the random generators must end where the eager step leaves
 * them. Split in halves, a step only matches when samples interact only through batch norm (whose
 * statistics the halves share) and the loss is a mean over samples. On success the batch's step
 * has run (gradients set, loss returned); otherwise nothing is kept, the generators are back where
 * they were, and the reason is returned.
 */
export function buildPlan(
  kernels: WasmKernels,
  model: Module,
  lossFn: LossFn,
  optimizer: Optimizer<object>,
  x: Tensor,
  y: Tensor,
  split = true,
): { plan: StepPlan; loss: number } | { reason: string } {
  const params = [...model.parameters()];
  const namedBuffers = [...model.namedBuffers()].filter(([, b]) => kernels.owns(b.data));
  const buffers = new BufferValues(namedBuffers.map(([, b]) => b));
  const batch = x.shape[0];
  const snapshot = new Snapshot();
  snapshot.add(defaultGenerator);
  const start = kernels.mark();
  const rewind = () => {
    kernels.release(start);
    snapshot.restore();
    buffers.restore();
  };
  const fail = (reason: string) => {
    for (const p of params) p.grad = null;
    rewind();
    return { reason };
  };
  let plan: StepPlan | null = null;
  try {
    if (split && kernels.helper && batch % 2 === 0) {
      try {
        plan = StepPlan.trace(
          kernels,
          singleThreadedBackend(kernels),
          model,
          lossFn,
          optimizer,
          x,
          y,
          2,
          MIN_SPLIT_MACS,
        );
      } catch (e) {
        if (!(e instanceof WholeBatchError)) throw e;
      }
      if (!plan) rewind();
    }
    plan ??= StepPlan.trace(kernels, backend(), model, lossFn, optimizer, x, y, 1)!;
  } catch (e) {
    return fail(`the step could not be traced: ${(e as Error).message}`);
  }
  for (const r of plan.randomFills) snapshot.add(r.generator, r.before);
  snapshot.restore();
  buffers.restore();
  const eager = eagerGradients(kernels, model, lossFn, optimizer, x, y);
  const afterEager = snapshot.current();
  const buffersAfterEager = new BufferValues(namedBuffers.map(([, b]) => b));
  snapshot.restore();
  buffers.restore();
  const loss = plan.run(params, x, y);
  if (loss === null) {
    // The halves of this first batch weigh differently in the loss: trace it whole instead.
    rewind();
    return buildPlan(kernels, model, lossFn, optimizer, x, y, false);
  }
  if (!snapshot.matches(afterEager)) return fail('the step draws random numbers the trace does not replay');
  const buffer = new BufferValues(namedBuffers.map(([, b]) => b)).mismatch(
    buffersAfterEager,
    namedBuffers.map(([n]) => n),
  );
  if (buffer) return fail(`buffer ${buffer} differs between the traced and the eager step`);
  if (!(Math.abs(loss - eager.loss) <= 1e-4 * Math.abs(eager.loss) + 1e-6))
    return fail(`the traced step's loss ${loss} differs from the eager ${eager.loss}`);
  const names = [...model.namedParameters()].map(([n]) => n);
  for (let i = 0; i < params.length; i++) {
    const problem = gradientMismatch(names[i], plan.grads[i], eager.grads[i]);
    if (problem) return fail(problem);
  }
  return { plan, loss };
}

function singleThreadedBackend(kernels: WasmKernels) {
  let b = singleThreaded.get(kernels);
  if (!b) singleThreaded.set(kernels, (b = createWasmBackend(kernels, false)));
  return b;
}
