// Lookup tables: F.embedding (rows of a weight picked by int64 indices, the padding row's
// gradient held at zero), nn.Embedding, and F.oneHot.
import { record } from '../autograd/record.js';
import { backend, type FloatArray } from '../backend/index.js';
import { computesInJavaScript } from '../backend/javascript_ops.js';
import { normalFill, zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Checks int64 indices against a table of `rows` rows; returns their values. */
function indexValues(input: Tensor, rows: number, what: string): ArrayLike<number> {
  if (input.dtype !== 'int64')
    throw new TypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype} instead (while checking arguments for ${what})`,
    );
  const v = input.values();
  for (const i of v)
    if (!(i >= 0 && i < rows))
      throw new RangeError(`index out of range in self: index ${i} of a table with ${rows} rows`);
  return v;
}

/**
 * Rows of `weight` [num, dim] for each int64 index: [..., dim]. The row at `paddingIdx` gets no gradient.
 * @pytorch `torch.nn.functional.embedding`
 */
export function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (weight.ndim !== 2)
    throw new RangeError(
      `embedding: weight must be 2-d [num_embeddings, embedding_dim], got ${formatShape(weight.shape)}`,
    );
  computesInJavaScript('embedding');
  const [rows, dim] = weight.shape;
  const index = indexValues(input, rows, 'embedding');
  const pad = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
  const out = Tensor.empty([...input.shape, dim], weight.dtype);
  backend().indexSelect(weight.values(), dim, index as Float64Array, out.data);
  return record('EmbeddingBackward0', out, [weight], (g) => {
    const gw = zeros(weight.shape, { dtype: g.dtype });
    backend().indexAdd(gw.data as FloatArray, dim, index as Float64Array, g.values() as FloatArray);
    if (pad !== null) backend().fill(gw.data.subarray(pad * dim, (pad + 1) * dim), 0);
    return [gw];
  });
}

/**
 * One-hot rows of int64 class indices: [..., numClasses] int64 (numClasses -1: the largest index + 1).
 * @pytorch `torch.nn.functional.one_hot`
 */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  computesInJavaScript('oneHot');
  if (input.dtype !== 'int64') throw new TypeError('one_hot is only applicable to index tensor.');
  const v = input.values();
  let classes = numClasses;
  if (classes === -1) {
    if (v.length === 0) throw new RangeError('Can not infer total number of classes from empty tensor.');
    classes = Math.max(...v) + 1;
  }
  for (const i of v) {
    if (i < 0) throw new RangeError('Class values must be non-negative.');
    if (i >= classes) throw new RangeError('Class values must be smaller than num_classes.');
  }
  const out = zeros([...input.shape, classes], { dtype: 'int64' });
  for (let k = 0; k < v.length; k++) out.data[k * classes + v[k]] = 1;
  return out;
}

/**
 * nn.Embedding's keyword arguments: `paddingIdx`; `maxNorm`, `scaleGradByFreq` and `sparse` only at their defaults.
 * @pytorch `torch.nn.Embedding`
 */
export interface EmbeddingOptions {
  paddingIdx?: number | null;
}

/**
 * A table of `numEmbeddings` learnt vectors of `embeddingDim`, initialised N(0, 1) (the padding row zero).
 * @pytorch `torch.nn.Embedding`
 */
export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingOptions = {},
  ) {
    super();
    checkOptions('nn.Embedding', opts, ['paddingIdx'], {
      maxNorm: null,
      normType: 2,
      scaleGradByFreq: false,
      sparse: false,
    });
    const pad = opts.paddingIdx ?? null;
    if (pad !== null && !(pad < numEmbeddings && pad >= -numEmbeddings))
      throw new RangeError('Padding_idx must be within num_embeddings');
    this.paddingIdx = pad === null ? null : pad < 0 ? pad + numEmbeddings : pad;
    const w = Tensor.empty([numEmbeddings, embeddingDim]);
    normalFill(w.data, 0, 1);
    if (this.paddingIdx !== null) w.data.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    this.weight = new Parameter(w);
  }

  /** embedding(input, weight, paddingIdx). */
  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
