import type { FloatArray } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { gradValues, Optimizer, paramValues, type ParamGroup, type ParamState } from './optimizer.js';

/** What every element-wise optimizer takes: a learning rate and L2 weight decay. */
export interface ElementwiseOptions {
  lr: number;
  weightDecay: number;
}

type Params<O> = ConstructorParameters<typeof Optimizer<O & object>>[0];

/** The defaults, then what was given, checked by name; PyTorch's implementation switches only at their defaults. */
export function elementwiseOptions<O extends ElementwiseOptions>(where: string, opts: Partial<O>, defaults: O): O {
  checkOptions(where, opts, Object.keys(defaults), { foreach: null, differentiable: false, capturable: false });
  const o = { ...defaults, ...opts };
  if (!(o.lr >= 0)) throw new RangeError(`Invalid learning rate: ${o.lr}`);
  if (!(o.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${o.weightDecay}`);
  return o;
}

/**
 * An optimizer whose update reads and writes each parameter entry on its own: the update runs
 * entry by entry in JavaScript (double precision, each buffer stored back in the parameter's
 * dtype), as PyTorch's single-tensor implementation computes it.
 */
export abstract class ElementwiseOptimizer<O extends ElementwiseOptions> extends Optimizer<O> {
  constructor(params: Params<O>, defaults: O) {
    super(params, defaults);
  }

  /** The buffers a parameter starts with (its state before the first step). */
  protected abstract initialState(p: Tensor, group: ParamGroup<O>): ParamState;

  /**
   * Updates `p` in place from the gradient `g` (already negated for maximize, weight decay not
   * yet added); `step` is the count including this one.
   */
  protected abstract update(p: FloatArray, g: FloatArray, s: ParamState, group: ParamGroup<O>, step: number): void;

  /** Whether a group ascends its gradient. */
  protected maximize(group: ParamGroup<O>): boolean {
    return (group as { maximize?: boolean }).maximize ?? false;
  }

  /** Buffers made at construction (Adagrad's) instead of at a parameter's first step. */
  protected stateFor(p: Tensor, group: ParamGroup<O>): ParamState {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = this.initialState(p, group)));
    return s;
  }

  /**
   * One update of every parameter that has a gradient.
   * @pytorch `torch.optim.Optimizer.step`
   */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        const s = this.stateFor(p, group);
        s.step = (s.step as number) + 1;
        const raw = gradValues(p);
        const g = Float64Array.from(raw) as unknown as FloatArray;
        const sign = this.maximize(group) ? -1 : 1;
        const w = paramValues(p);
        for (let i = 0; i < g.length; i++) g[i] = sign * g[i] + group.weightDecay * w[i];
        this.update(w, g, s, group, s.step);
      }
    }
  }
}

/** A zero-filled buffer the shape of `p`. */
export function buffer(p: Tensor, value = 0): Tensor {
  const t = Tensor.empty(p.shape, p.dtype);
  t.data.fill(value);
  return t;
}

/** The storage of a state buffer. */
export function values(s: ParamState, key: string): FloatArray {
  return paramValues(s[key] as Tensor);
}
