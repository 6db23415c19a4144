import { Tensor } from '../tensor/tensor.js';
import { backend } from '../backend/index.js';
import { checkOptions } from '../util/options.js';
import { flipForMaximize, gradValues, Optimizer, paramValues } from './optimizer.js';

/**
 * SGD's keyword arguments: `lr`, `momentum`, `dampening`, `nesterov`, `weightDecay`, `maximize`.
 * @pytorch `torch.optim.SGD`
 */
export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  /** Ascend the gradient instead of descending it. */
  maximize: boolean;
}

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'];

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and weight decay as PyTorch's.
 * @pytorch `torch.optim.SGD`
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(
    params: ConstructorParameters<typeof Optimizer<SGDOptions>>[0],
    opts: Partial<SGDOptions> & { lr: number },
  ) {
    checkOptions('SGD', opts, SGD_OPTIONS, { foreach: false, differentiable: false });
    const o: SGDOptions = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...opts };
    for (const k of Object.keys(o)) if (!SGD_OPTIONS.includes(k)) delete o[k as keyof SGDOptions];
    if (!(o.lr >= 0)) throw new RangeError(`Invalid learning rate: ${o.lr}`);
    if (!(o.momentum >= 0)) throw new RangeError(`Invalid momentum value: ${o.momentum}`);
    if (!(o.weightDecay >= 0)) throw new RangeError(`Invalid weight_decay value: ${o.weightDecay}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
      throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    super(params, o);
  }

  /**
   * One update of every parameter that has a gradient.
   * @pytorch `torch.optim.SGD.step`
   */
  step(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        let buf: Tensor | null = null;
        let first = false;
        if (g.momentum !== 0) {
          const s = this.state.get(p) ?? {};
          first = !(s.momentum_buffer instanceof Tensor);
          if (first) s.momentum_buffer = Tensor.empty(p.shape, p.dtype);
          this.state.set(p, s);
          buf = s.momentum_buffer as Tensor;
        }
        const grad = gradValues(p);
        flipForMaximize(grad, g.maximize);
        backend().sgdStep(paramValues(p), grad, buf ? paramValues(buf) : null, first, g);
        flipForMaximize(grad, g.maximize);
      }
    }
  }
}
