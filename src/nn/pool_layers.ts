import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool2d, type AvgPool2dOptions } from './avg_pool.js';
import type { Pair } from './convolution.js';
import { Module } from './module.js';
import { py } from './python_repr.js';

/**
 * `F.avgPool2d` as a module.
 * @pytorch `torch.nn.AvgPool2d`
 */
export class AvgPool2d extends Module {
  readonly stride: Pair;

  constructor(
    readonly kernelSize: Pair,
    readonly options: AvgPool2dOptions = {},
  ) {
    super();
    checkOptions('nn.AvgPool2d', options, ['stride', 'padding', 'countIncludePad', 'divisorOverride'], {
      ceilMode: false,
    });
    this.stride = options.stride ?? kernelSize;
  }

  /** avgPool2d(x, kernelSize, options). */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.options.padding ?? 0)}`;
  }
}

/**
 * `F.adaptiveAvgPool2d` as a module: `new nn.AdaptiveAvgPool2d(1)` is global average pooling.
 * @pytorch `torch.nn.AdaptiveAvgPool2d`
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }

  /** adaptiveAvgPool2d(x, outputSize). */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/**
 * `F.adaptiveMaxPool2d` as a module.
 * @pytorch `torch.nn.AdaptiveMaxPool2d`
 */
export class AdaptiveMaxPool2d extends Module {
  constructor(
    readonly outputSize: Pair,
    readonly returnIndices = false,
  ) {
    super();
    if (returnIndices) throw new RangeError('nn.AdaptiveMaxPool2d: not supported: returnIndices');
  }

  /** adaptiveMaxPool2d(x, outputSize). */
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
