import { ElementwiseOptimizer, buffer, elementwiseOptions, values, type ElementwiseOptions } from './elementwise.js';
import type { FloatArray } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamGroup, ParamState } from './optimizer.js';

/**
 * RMSprop's keyword arguments: `lr` (0.01), `alpha` (0.99), `eps` (1e-8), `weightDecay`,
 * `momentum`, `centered`, `maximize`.
 * @pytorch `torch.optim.RMSprop`
 */
export interface RMSpropOptions extends ElementwiseOptions {
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * RMSprop: each gradient divided by a running root mean square (centred on the running mean).
 * @pytorch `torch.optim.RMSprop`
 */
export class RMSprop extends ElementwiseOptimizer<RMSpropOptions> {
  constructor(
    params: Iterable<Tensor> | Iterable<Partial<RMSpropOptions> & { params: Iterable<Tensor> }>,
    opts: Partial<RMSpropOptions> = {},
  ) {
    const o = elementwiseOptions('RMSprop', opts, {
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
    });
    if (!(o.alpha >= 0)) throw new RangeError(`Invalid alpha value: ${o.alpha}`);
    if (!(o.momentum >= 0)) throw new RangeError(`Invalid momentum value: ${o.momentum}`);
    super(params, o);
  }

  protected initialState(p: Tensor, g: ParamGroup<RMSpropOptions>): ParamState {
    const s: ParamState = { step: 0, square_avg: buffer(p) };
    if (g.momentum > 0) s.momentum_buffer = buffer(p);
    if (g.centered) s.grad_avg = buffer(p);
    return s;
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState, o: ParamGroup<RMSpropOptions>): void {
    const sq = values(s, 'square_avg');
    const avgGrad = o.centered ? values(s, 'grad_avg') : null;
    const buf = o.momentum > 0 ? values(s, 'momentum_buffer') : null;
    for (let i = 0; i < p.length; i++) {
      sq[i] = o.alpha * sq[i] + (1 - o.alpha) * g[i] * g[i];
      let avg: number;
      if (avgGrad) {
        avgGrad[i] = o.alpha * avgGrad[i] + (1 - o.alpha) * g[i];
        avg = Math.sqrt(sq[i] - avgGrad[i] * avgGrad[i]) + o.eps;
      } else avg = Math.sqrt(sq[i]) + o.eps;
      if (buf) {
        buf[i] = o.momentum * buf[i] + g[i] / avg;
        p[i] -= o.lr * buf[i];
      } else p[i] -= (o.lr * g[i]) / avg;
    }
  }
}
