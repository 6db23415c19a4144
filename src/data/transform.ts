import type { Tensor } from '../tensor/tensor.js';

/** A callable image transform; `pointwise` ones act on each pixel alone, so loaders can fuse them. */
export interface Transform<I = Tensor, O = Tensor> {
  /** Transforms one sample. */
  apply(input: I): O;
  readonly pointwise: boolean;
}
