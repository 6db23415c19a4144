import { ElementwiseOptimizer, buffer, elementwiseOptions, values, type ElementwiseOptions } from './elementwise.js';
import { checkBetas } from './adamax.js';
import type { FloatArray } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamGroup, ParamState } from './optimizer.js';

/**
 * NAdam's keyword arguments: `lr` (0.002), `betas` (0.9, 0.999), `eps` (1e-8), `weightDecay`,
 * `momentumDecay` (0.004).
 * @pytorch `torch.optim.NAdam`
 */
export interface NAdamOptions extends ElementwiseOptions {
  betas: [number, number];
  eps: number;
  momentumDecay: number;
}

/**
 * NAdam: Adam with Nesterov momentum and a momentum schedule; the running product of the
 * schedule (`mu_product`) is a float32 number, as PyTorch keeps it.
 * @pytorch `torch.optim.NAdam`
 */
export class NAdam extends ElementwiseOptimizer<NAdamOptions> {
  constructor(
    params: Iterable<Tensor> | Iterable<Partial<NAdamOptions> & { params: Iterable<Tensor> }>,
    opts: Partial<NAdamOptions> = {},
  ) {
    const o = elementwiseOptions<NAdamOptions>('NAdam', opts, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      momentumDecay: 4e-3,
    });
    checkBetas(o.betas);
    if (!(o.momentumDecay >= 0)) throw new RangeError(`Invalid momentum_decay value: ${o.momentumDecay}`);
    super(params, o);
  }

  protected initialState(p: Tensor): ParamState {
    return { step: 0, mu_product: 1, exp_avg: buffer(p), exp_avg_sq: buffer(p) };
  }

  protected update(p: FloatArray, g: FloatArray, s: ParamState, o: ParamGroup<NAdamOptions>, step: number): void {
    const [b1, b2] = o.betas;
    const m = values(s, 'exp_avg');
    const v = values(s, 'exp_avg_sq');
    const correction2 = 1 - b2 ** step;
    const mu = b1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
    const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
    const product = Math.fround((s.mu_product as number) * mu);
    s.mu_product = product;
    // PyTorch 1.13 multiplies mu in twice here (mu_product * mu * mu_next), in float32; so does this.
    const productNext = Math.fround(Math.fround(product * mu) * muNext);
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] + (g[i] - m[i]) * (1 - b1);
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const denom = Math.sqrt(v[i] / correction2) + o.eps;
      p[i] -= ((o.lr * (1 - mu)) / (1 - product)) * (g[i] / denom);
      p[i] -= ((o.lr * muNext) / (1 - productNext)) * (m[i] / denom);
    }
  }
}
