import { ElementwiseOptimizer, buffer, elementwiseOptions, values, type ElementwiseOptions } from './elementwise.js';
import type { FloatArray } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamGroup, ParamState } from './optimizer.js';

/**
 * Adadelta's keyword arguments: `lr` (1), `rho` (0.9), `eps` (1e-6), `weightDecay`, `maximize`.
 * @pytorch `torch.optim.Adadelta`
 */
export interface AdadeltaOptions extends ElementwiseOptions {
  rho: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adadelta: steps scaled by the ratio of running root mean squares of updates and gradients.
 * @pytorch `torch.optim.Adadelta`
 */
export class Adadelta extends ElementwiseOptimizer<AdadeltaOptions> {
  constructor(
    params: Iterable<Tensor> | Iterable<Partial<AdadeltaOptions> & { params: Iterable<Tensor> }>,
    opts: Partial<AdadeltaOptions> = {},
  ) {
    const o = elementwiseOptions('Adadelta', opts, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
    if (!(o.rho >= 0 && o.rho <= 1)) throw new RangeError(`Invalid rho value: ${o.rho}`);
    super(params, o);
  }

  protected initialState(p: Tensor): ParamState {
    return { step: 0, square_avg: buffer(p), acc_delta: buffer(p) };
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState, o: ParamGroup<AdadeltaOptions>): void {
    const sq = values(s, 'square_avg');
    const acc = values(s, 'acc_delta');
    for (let i = 0; i < p.length; i++) {
      sq[i] = o.rho * sq[i] + (1 - o.rho) * g[i] * g[i];
      const delta = (Math.sqrt(acc[i] + o.eps) / Math.sqrt(sq[i] + o.eps)) * g[i];
      acc[i] = o.rho * acc[i] + (1 - o.rho) * delta * delta;
      p[i] -= o.lr * delta;
    }
  }
}
