import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { crossEntropy, nllLoss, type LossOptions } from './losses.js';
import { Module } from './module.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  huberLoss,
  klDiv,
  l1Loss,
  mseLoss,
  smoothL1Loss,
  type BCEOptions,
  type BCEWithLogitsOptions,
  type ElementwiseLossOptions,
  type HuberOptions,
  type KLDivOptions,
  type SmoothL1Options,
} from './regression_losses.js';

/** The tensor options a loss keeps as buffers, under PyTorch's names (`weight`, `pos_weight`). */
const BUFFERS = { weight: 'weight', posWeight: 'pos_weight' } as const;

/**
 * A loss as a module: its options fixed at construction, `forward(input, target)`. Its tensor
 * options are buffers, as PyTorch registers them: in the state dict, converted by `to()`.
 */
abstract class Loss<O extends object> extends Module {
  constructor(
    private readonly settings: O,
    where: string,
    known: readonly string[],
  ) {
    super();
    checkOptions(where, settings, ['reduction', ...known], { sizeAverage: null, reduce: null });
    for (const [option, name] of Object.entries(BUFFERS))
      if (known.includes(option))
        this.registerBuffer(name, (settings as Record<string, Tensor | null | undefined>)[option] ?? null);
  }

  /** The options, with the buffers as they are now in place of the tensors given. */
  get options(): O {
    const o = { ...this.settings } as Record<string, unknown>;
    const self = this as unknown as Record<string, Tensor | null | undefined>;
    for (const [option, name] of Object.entries(BUFFERS)) if (name in this) o[option] = self[name] ?? undefined;
    return o as O;
  }

  /** The loss of `input` against `target`. */
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/**
 * `F.crossEntropy` as a module: `new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })`.
 * @pytorch `torch.nn.CrossEntropyLoss`
 */
export class CrossEntropyLoss extends Loss<LossOptions> {
  constructor(opts: LossOptions = {}) {
    super(opts, 'nn.CrossEntropyLoss', ['weight', 'ignoreIndex', 'labelSmoothing']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/**
 * `F.nllLoss` as a module.
 * @pytorch `torch.nn.NLLLoss`
 */
export class NLLLoss extends Loss<LossOptions> {
  constructor(opts: LossOptions = {}) {
    super(opts, 'nn.NLLLoss', ['weight', 'ignoreIndex']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options);
  }
}

/**
 * `F.mseLoss` as a module.
 * @pytorch `torch.nn.MSELoss`
 */
export class MSELoss extends Loss<ElementwiseLossOptions> {
  constructor(opts: ElementwiseLossOptions = {}) {
    super(opts, 'nn.MSELoss', []);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/**
 * `F.l1Loss` as a module.
 * @pytorch `torch.nn.L1Loss`
 */
export class L1Loss extends Loss<ElementwiseLossOptions> {
  constructor(opts: ElementwiseLossOptions = {}) {
    super(opts, 'nn.L1Loss', []);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/**
 * `F.smoothL1Loss` as a module.
 * @pytorch `torch.nn.SmoothL1Loss`
 */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  constructor(opts: SmoothL1Options = {}) {
    super(opts, 'nn.SmoothL1Loss', ['beta']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}

/**
 * `F.huberLoss` as a module.
 * @pytorch `torch.nn.HuberLoss`
 */
export class HuberLoss extends Loss<HuberOptions> {
  constructor(opts: HuberOptions = {}) {
    super(opts, 'nn.HuberLoss', ['delta']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}

/**
 * `F.binaryCrossEntropy` as a module.
 * @pytorch `torch.nn.BCELoss`
 */
export class BCELoss extends Loss<BCEOptions> {
  constructor(opts: BCEOptions = {}) {
    super(opts, 'nn.BCELoss', ['weight']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}

/**
 * `F.binaryCrossEntropyWithLogits` as a module.
 * @pytorch `torch.nn.BCEWithLogitsLoss`
 */
export class BCEWithLogitsLoss extends Loss<BCEWithLogitsOptions> {
  constructor(opts: BCEWithLogitsOptions = {}) {
    super(opts, 'nn.BCEWithLogitsLoss', ['weight', 'posWeight']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

/**
 * `F.klDiv` as a module.
 * @pytorch `torch.nn.KLDivLoss`
 */
export class KLDivLoss extends Loss<KLDivOptions> {
  constructor(opts: KLDivOptions = {}) {
    super(opts, 'nn.KLDivLoss', ['logTarget']);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
