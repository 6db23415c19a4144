import { ElementwiseOptimizer, buffer, elementwiseOptions, values, type ElementwiseOptions } from './elementwise.js';
import type { FloatArray } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamGroup, ParamState } from './optimizer.js';

/**
 * The keyword arguments of Adamax (lr 0.002), NAdam (lr 0.002, `momentumDecay` 0.004) and RAdam
 * (lr 0.001): `betas` (0.9, 0.999), `eps` (1e-8), `weightDecay`; Adamax also `maximize`.
 * @pytorch `torch.optim.Adamax`
 */
export interface AdamaxOptions extends ElementwiseOptions {
  betas: [number, number];
  eps: number;
  maximize: boolean;
}

/** Checks the betas of an Adam-like optimizer. */
export function checkBetas(betas: [number, number]): void {
  betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new RangeError(`Invalid beta parameter at index ${i}: ${b}`);
  });
}

/**
 * Adamax: Adam with the infinity norm (a running maximum) in place of the second moment.
 * @pytorch `torch.optim.Adamax`
 */
export class Adamax extends ElementwiseOptimizer<AdamaxOptions> {
  constructor(
    params: Iterable<Tensor> | Iterable<Partial<AdamaxOptions> & { params: Iterable<Tensor> }>,
    opts: Partial<AdamaxOptions> = {},
  ) {
    const o = elementwiseOptions<AdamaxOptions>('Adamax', opts, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      maximize: false,
    });
    checkBetas(o.betas);
    super(params, o);
  }

  protected initialState(p: Tensor): ParamState {
    return { step: 0, exp_avg: buffer(p), exp_inf: buffer(p) };
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState, o: ParamGroup<AdamaxOptions>, step: number): void {
    const [b1, b2] = o.betas;
    const m = values(s, 'exp_avg');
    const u = values(s, 'exp_inf');
    const clr = o.lr / (1 - b1 ** step);
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] + (g[i] - m[i]) * (1 - b1);
      u[i] = Math.max(u[i] * b2, Math.abs(g[i]) + o.eps);
      p[i] -= (clr * m[i]) / u[i];
    }
  }
}
