import { ElementwiseOptimizer, buffer, elementwiseOptions, values, type ElementwiseOptions } from './elementwise.js';
import { checkBetas } from './adamax.js';
import type { FloatArray } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamGroup, ParamState } from './optimizer.js';

/**
 * RAdam's keyword arguments: `lr` (0.001), `betas` (0.9, 0.999), `eps` (1e-8), `weightDecay`.
 * @pytorch `torch.optim.RAdam`
 */
export interface RAdamOptions extends ElementwiseOptions {
  betas: [number, number];
  eps: number;
}

/**
 * RAdam: Adam whose adaptive step is rectified by the variance of its estimate, plain momentum
 * steps while that variance is not yet tractable (rho_t <= 5).
 * @pytorch `torch.optim.RAdam`
 */
export class RAdam extends ElementwiseOptimizer<RAdamOptions> {
  constructor(
    params: Iterable<Tensor> | Iterable<Partial<RAdamOptions> & { params: Iterable<Tensor> }>,
    opts: Partial<RAdamOptions> = {},
  ) {
    const o = elementwiseOptions<RAdamOptions>('RAdam', opts, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    });
    checkBetas(o.betas);
    super(params, o);
  }

  protected initialState(p: Tensor): ParamState {
    return { step: 0, exp_avg: buffer(p), exp_avg_sq: buffer(p) };
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState, o: ParamGroup<RAdamOptions>, step: number): void {
    const [b1, b2] = o.betas;
    const m = values(s, 'exp_avg');
    const v = values(s, 'exp_avg_sq');
    const correction1 = 1 - b1 ** step;
    const correction2 = 1 - b2 ** step;
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * step * b2 ** step) / correction2;
    const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] + (g[i] - m[i]) * (1 - b1);
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const corrected = m[i] / correction1;
      if (rhoT > 5) p[i] -= corrected * o.lr * (Math.sqrt(correction2) / (Math.sqrt(v[i]) + o.eps)) * rect;
      else p[i] -= corrected * o.lr;
    }
  }
}
