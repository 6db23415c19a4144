import { backend } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { flipForMaximize, gradValues, Optimizer, paramValues } from './optimizer.js';

/**
 * Adam's keyword arguments: `lr` (0.001), `betas`, `eps`, `weightDecay`, `amsgrad`, `maximize`.
 * @pytorch `torch.optim.Adam`
 */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  /** Ascend the gradient instead of descending it. */
  maximize: boolean;
}

const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'];

/** The defaults, then what was given, checked: PyTorch's other options only at their defaults. */
function adamOptions(where: string, opts: Partial<AdamOptions>, defaults: Partial<AdamOptions>): AdamOptions {
  checkOptions(where, opts, ADAM_OPTIONS, { foreach: false, capturable: false, differentiable: false, fused: false });
  const o = {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    amsgrad: false,
    maximize: false,
    ...defaults,
    ...opts,
  };
  for (const k of Object.keys(o)) if (!ADAM_OPTIONS.includes(k)) delete o[k as keyof AdamOptions];
  return check(o as AdamOptions);
}

type Params = ConstructorParameters<typeof Optimizer<AdamOptions>>[0];

function check(o: AdamOptions): AdamOptions {
  if (!(o.lr >= 0)) throw new RangeError(`Invalid learning rate: ${o.lr}`);
  if (!(o.eps >= 0)) throw new RangeError(`Invalid epsilon value: ${o.eps}`);
  o.betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new RangeError(`Invalid beta parameter at index ${i}: ${b}`);
  });
  if (!(o.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${o.weightDecay}`);
  return o;
}

/**
 * Adam, with L2 weight decay added to the gradient and optional AMSGrad.
 * @pytorch `torch.optim.Adam`
 */
export class Adam extends Optimizer<AdamOptions> {
  protected readonly decoupled: boolean = false;

  constructor(params: Params, opts: Partial<AdamOptions> = {}, defaults: Partial<AdamOptions> = {}) {
    super(params, adamOptions(new.target.name, opts, defaults));
  }

  /**
   * One update of every parameter that has a gradient.
   * @pytorch `torch.optim.Adam.step`
   */
  step(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        let s = this.state.get(p);
        if (!s) {
          s = { step: 0, exp_avg: Tensor.empty(p.shape, p.dtype), exp_avg_sq: Tensor.empty(p.shape, p.dtype) };
          if (g.amsgrad) s.max_exp_avg_sq = Tensor.empty(p.shape, p.dtype);
          this.state.set(p, s);
        }
        s.step = (s.step as number) + 1;
        const vmax = s.max_exp_avg_sq instanceof Tensor ? paramValues(s.max_exp_avg_sq) : null;
        const grad = gradValues(p);
        flipForMaximize(grad, g.maximize);
        backend().adamStep(
          paramValues(p),
          grad,
          paramValues(s.exp_avg as Tensor),
          paramValues(s.exp_avg_sq as Tensor),
          vmax,
          {
            lr: g.lr,
            beta1: g.betas[0],
            beta2: g.betas[1],
            eps: g.eps,
            weightDecay: g.weightDecay,
            decoupled: this.decoupled,
            step: s.step,
          },
        );
        flipForMaximize(grad, g.maximize);
      }
    }
  }
}

/**
 * Adam with decoupled weight decay (default 1e-2, as PyTorch).
 * @pytorch `torch.optim.AdamW`
 */
export class AdamW extends Adam {
  protected override readonly decoupled = true;

  constructor(params: Params, opts: Partial<AdamOptions> = {}) {
    super(params, opts, { weightDecay: 1e-2 });
  }
}
