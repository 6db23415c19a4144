import type { FloatArray } from '../backend/index.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { reviveTensor } from '../tensor/revive.js';
import { backend } from '../backend/index.js';
import { checkOptions } from '../util/options.js';
import { className } from '../util/class_name.js';

/** One parameter's optimizer buffers (`momentum_buffer`, `exp_avg`, `step`, ...). */
export type ParamState = Record<string, Tensor | number>;

/**
 * Parameters that share hyper-parameters, with those hyper-parameters.
 * @pytorch `torch.optim.Optimizer.param_groups`
 */
export type ParamGroup<O> = O & { params: Tensor[] };

/**
 * An optimizer's state: buffers by parameter index, and the groups' settings with parameter indices.
 * @pytorch `torch.optim.Optimizer.state_dict`
 */
export interface OptimizerStateDict<O> {
  /** Per-parameter buffers, keyed by the parameter's position across all groups. */
  state: Record<number, ParamState>;
  paramGroups: (O & { params: number[] })[];
}

/** The parameter's storage, writable in place. */
export function paramValues(p: Tensor): FloatArray {
  if (!p.isContiguous())
    throw new Error(
      `optimizers need contiguous parameters; parameter of shape ${formatShape(p.shape)} is a strided view`,
    );
  return p.values() as FloatArray;
}

/** The gradient's values for a kernel to read: a view of `p.grad`, or a copy where it is strided. */
export function gradValues(p: Tensor): FloatArray {
  return p.grad!.values() as FloatArray;
}

/** A copy of a parameter's state; tensors that went through structured clone become Tensors again. */
function cloneState(s: ParamState): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) {
    const t = reviveTensor(v);
    out[k] = t ? new Tensor(t.values().slice(), t.shape, t.dtype) : v;
  }
  return out;
}

/**
 * Base class of the optimizers: parameter groups, per-parameter state and state dicts.
 * @pytorch `torch.optim.Optimizer`
 */
export abstract class Optimizer<O extends object> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly state = new Map<Tensor, ParamState>();

  constructor(
    params: Iterable<Tensor> | Iterable<Partial<O> & { params: Iterable<Tensor> }>,
    readonly defaults: O,
  ) {
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new RangeError('optimizer got an empty parameter list');
    type GroupInput = Partial<O> & { params: Iterable<Tensor> };
    const groups =
      list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as GroupInput] : (list as GroupInput[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /**
   * Adds parameters with their own settings (the defaults for what is not given).
   * @pytorch `torch.optim.Optimizer.add_param_group`
   */
  addParamGroup(group: Partial<O> & { params: Iterable<Tensor> }): void {
    checkOptions(`${className(this)} parameter group`, group, ['params', ...Object.keys(this.defaults)]);
    const params = [...group.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError('optimizer can only optimize Tensors');
      if (!p.isLeaf) throw new Error("can't optimize a non-leaf Tensor");
      if (seen.has(p)) throw new Error('some parameters appear in more than one parameter group');
      seen.add(p);
    }
    this.paramGroups.push({ ...this.defaults, ...group, params });
  }

  /**
   * Clears the gradients of every parameter (to null by default).
   * @pytorch `torch.optim.Optimizer.zero_grad`
   */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone || !p.grad) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }

  /**
   * One update of every parameter that has a gradient.
   * @pytorch `torch.optim.Optimizer.step`
   */
  abstract step(): void;

  /**
   * The state to save: buffers by parameter index and each group's settings, copied.
   * @pytorch `torch.optim.Optimizer.state_dict`
   */
  stateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g;
      return { ...(opts as unknown as O), params: params.map((p) => index.set(p, index.size).get(p)!) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) if (index.has(p)) state[index.get(p)!] = cloneState(s);
    return { state, paramGroups };
  }

  /**
   * Restores hyper-parameters and buffers; checks the layout matches before changing anything.
   * @pytorch `torch.optim.Optimizer.load_state_dict`
   */
  loadStateDict(sd: OptimizerStateDict<O>): void {
    const name = className(this);
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object') {
      throw new TypeError(`${name}.loadStateDict: expected { state, paramGroups } as produced by stateDict()`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(
        `${name}.loadStateDict: loaded state has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((g, i) => {
      const own = this.paramGroups[i].params;
      if (g.params.length !== own.length) {
        throw new RangeError(
          `${name}.loadStateDict: group ${i} has ${g.params.length} parameters in the saved state but ${own.length} here; was it saved from another model?`,
        );
      }
      g.params.forEach((id, j) => byIndex.set(id, own[j]));
    });
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(id));
      if (!p) throw new RangeError(`${name}.loadStateDict: state for parameter ${id}, which no group lists`);
      for (const [k, raw] of Object.entries(s)) {
        const v = reviveTensor(raw);
        if (!v && typeof raw === 'object' && raw !== null) {
          throw new TypeError(
            `${name}.loadStateDict: buffer '${k}' of parameter ${id} is neither a Tensor nor a number; it holds keys ${Object.keys(raw).join(', ')}`,
          );
        }
        if (v && !sameShape(v.shape, p.shape)) {
          throw new RangeError(
            `${name}.loadStateDict: buffer '${k}' of parameter ${id} has shape ${formatShape(v.shape)}, the parameter has ${formatShape(p.shape)}`,
          );
        }
      }
    }
    this.state.clear();
    for (const [id, s] of Object.entries(sd.state)) this.state.set(byIndex.get(Number(id))!, cloneState(s));
    sd.paramGroups.forEach((g, i) => {
      const { params: _ids, ...opts } = g;
      Object.assign(this.paramGroups[i], opts);
    });
  }
}

/**
 * Negates a gradient in place for PyTorch's `maximize`, before an update and again after it:
 * negation is exact, and the kernels then read the gradient where it lies.
 */
export function flipForMaximize(grad: FloatArray, maximize: boolean): void {
  if (maximize) backend().unary('neg', grad, grad);
}
