import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';
import * as A from './activations.js';
import { Module } from './module.js';
import { pyFloat } from './python_repr.js';
import { logSoftmax, softmax } from './softmax.js';

/**
 * `sigmoid` as a module.
 * @pytorch `torch.nn.Sigmoid`
 */
export class Sigmoid extends Module {
  /** sigmoid(x). */
  forward(x: Tensor): Tensor {
    return A.sigmoid(x);
  }
}

/**
 * `tanh` as a module.
 * @pytorch `torch.nn.Tanh`
 */
export class Tanh extends Module {
  /** tanh(x). */
  forward(x: Tensor): Tensor {
    return A.tanh(x);
  }
}

/**
 * `F.leakyRelu` as a module.
 * @pytorch `torch.nn.LeakyReLU`
 */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  /** leakyRelu(x, negativeSlope). */
  forward(x: Tensor): Tensor {
    return A.leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

/**
 * `F.elu` as a module.
 * @pytorch `torch.nn.ELU`
 */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }

  /** elu(x, alpha). */
  forward(x: Tensor): Tensor {
    return A.elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/**
 * `F.silu` as a module.
 * @pytorch `torch.nn.SiLU`
 */
export class SiLU extends Module {
  /** silu(x). */
  forward(x: Tensor): Tensor {
    return A.silu(x);
  }
}

/**
 * `F.softplus` as a module.
 * @pytorch `torch.nn.Softplus`
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }

  /** softplus(x, beta, threshold). */
  forward(x: Tensor): Tensor {
    return A.softplus(x, this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/**
 * `F.hardtanh` as a module.
 * @pytorch `torch.nn.Hardtanh`
 */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
  }

  /** hardtanh(x, minVal, maxVal). */
  forward(x: Tensor): Tensor {
    return A.hardtanh(x, this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/**
 * `F.relu6` as a module.
 * @pytorch `torch.nn.ReLU6`
 */
export class ReLU6 extends Module {
  /** relu6(x). */
  forward(x: Tensor): Tensor {
    return A.relu6(x);
  }
}

/**
 * `F.hardsigmoid` as a module.
 * @pytorch `torch.nn.Hardsigmoid`
 */
export class Hardsigmoid extends Module {
  /** hardsigmoid(x). */
  forward(x: Tensor): Tensor {
    return A.hardsigmoid(x);
  }
}

/**
 * `F.hardswish` as a module.
 * @pytorch `torch.nn.Hardswish`
 */
export class Hardswish extends Module {
  /** hardswish(x). */
  forward(x: Tensor): Tensor {
    return A.hardswish(x);
  }
}

/**
 * `F.softmax` over `dim` as a module.
 * @pytorch `torch.nn.Softmax`
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  /** softmax(x, dim). */
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * `F.logSoftmax` over `dim` as a module.
 * @pytorch `torch.nn.LogSoftmax`
 */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  /** logSoftmax(x, dim). */
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * `F.gelu` as a module: `approximate` 'none' (exact, the default) or 'tanh'.
 * @pytorch `torch.nn.GELU`
 */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    if (approximate !== 'none' && approximate !== 'tanh')
      throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }

  /** gelu(x, approximate). */
  forward(x: Tensor): Tensor {
    return A.gelu(x, this.approximate);
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * `F.prelu` with a learnt slope: one for all channels or one per channel, initialised to `init`.
 * @pytorch `torch.nn.PReLU`
 */
export class PReLU extends Module {
  weight: Parameter;

  constructor(
    readonly numParameters = 1,
    init = 0.25,
  ) {
    super();
    this.weight = new Parameter(full([numParameters], init, { dtype: 'float32' }));
  }

  /** prelu(x, weight). */
  forward(x: Tensor): Tensor {
    return A.prelu(x, this.weight);
  }

  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
