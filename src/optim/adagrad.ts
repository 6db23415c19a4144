import { ElementwiseOptimizer, buffer, elementwiseOptions, values, type ElementwiseOptions } from './elementwise.js';
import type { FloatArray } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamGroup, ParamState } from './optimizer.js';

/**
 * Adagrad's keyword arguments: `lr` (0.01), `lrDecay`, `weightDecay`, `initialAccumulatorValue`,
 * `eps` (1e-10), `maximize`.
 * @pytorch `torch.optim.Adagrad`
 */
export interface AdagradOptions extends ElementwiseOptions {
  lrDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adagrad: each gradient divided by the root of its accumulated squares. As in PyTorch, every
 * parameter's state exists from construction.
 * @pytorch `torch.optim.Adagrad`
 */
export class Adagrad extends ElementwiseOptimizer<AdagradOptions> {
  constructor(
    params: Iterable<Tensor> | Iterable<Partial<AdagradOptions> & { params: Iterable<Tensor> }>,
    opts: Partial<AdagradOptions> = {},
  ) {
    const o = elementwiseOptions('Adagrad', opts, {
      lr: 0.01,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
    });
    if (!(o.lrDecay >= 0)) throw new RangeError(`Invalid lr_decay value: ${o.lrDecay}`);
    if (!(o.initialAccumulatorValue >= 0))
      throw new RangeError(`Invalid initial_accumulator_value value: ${o.initialAccumulatorValue}`);
    super(params, o);
    for (const g of this.paramGroups) for (const p of g.params) this.stateFor(p, g);
  }

  protected initialState(p: Tensor, g: ParamGroup<AdagradOptions>): ParamState {
    return { step: 0, sum: buffer(p, g.initialAccumulatorValue) };
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState, o: ParamGroup<AdagradOptions>, step: number): void {
    const sum = values(s, 'sum');
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    for (let i = 0; i < p.length; i++) {
      sum[i] += g[i] * g[i];
      p[i] -= (clr * g[i]) / (Math.sqrt(sum[i]) + o.eps);
    }
  }
}
