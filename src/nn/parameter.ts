import { formatTensor } from '../tensor/format.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that a Module registers as a learnable weight; it shares storage with `data`.
 * @pytorch `torch.nn.Parameter`
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.data, data.shape, data.dtype, data.strides, data.offset);
    this.requiresGrad = requiresGrad;
  }

  /** What PyTorch prints for a parameter: `Parameter containing:` and the tensor. */
  override toString(): string {
    return `Parameter containing:\n${formatTensor(this)}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
