/**
 * Gradient clipping, in place on each parameter's `.grad`.
 * @pytorch `torch.nn.utils`
 * @module
 */
import { backend } from '../backend/index.js';
import { full } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

function gradsOf(parameters: Iterable<Tensor> | Tensor): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  return list.map((p) => p.grad).filter((g): g is Tensor => g !== null);
}

/** The p-norm of some values (the largest magnitude for p = Infinity, NaN if any is). */
function normOf(v: ArrayLike<number>, p: number): number {
  let s = 0;
  if (p === Infinity) {
    for (let i = 0; i < v.length; i++) if (!(Math.abs(v[i]) <= s)) s = Math.abs(v[i]);
    return s;
  }
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i]) ** p;
  return s ** (1 / p);
}

/** Multiplies a gradient by `factor` where it lies. */
function scaleInPlace(g: Tensor, factor: number): void {
  const v = g.values();
  backend().binary('mul', v, [v.length], Float64Array.of(factor), [], v, [v.length]);
  if (v !== g.data) g.data.set(v, g.offset);
}

/**
 * Scales the gradients so their total `normType`-norm is at most `maxNorm` (by
 * maxNorm / (norm + 1e-6) when above it); returns the total norm before clipping.
 * @pytorch `torch.nn.utils.clip_grad_norm_`
 */
export function clipGradNorm_(
  parameters: Iterable<Tensor> | Tensor,
  maxNorm: number,
  normType = 2,
  errorIfNonfinite = false,
): Tensor {
  const grads = gradsOf(parameters);
  if (grads.length === 0) return full([], 0, { dtype: 'float32' });
  const dtype = grads[0].dtype;
  // Each norm rounds to the gradients' dtype, as PyTorch's per-tensor norms do, before the total.
  const round = (x: number) => (dtype === 'float32' ? Math.fround(x) : x);
  const norms = grads.map((g) => round(normOf(g.values(), normType)));
  const total = round(normOf(norms, normType));
  if (errorIfNonfinite && !Number.isFinite(total))
    throw new Error(
      `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`errorIfNonfinite=false\``,
    );
  const coef = Math.min(round(round(maxNorm) / round(total + 1e-6)), 1);
  for (const g of grads) scaleInPlace(g, coef);
  return full([], total, { dtype });
}

/**
 * Clamps every gradient entry into [-clipValue, clipValue].
 * @pytorch `torch.nn.utils.clip_grad_value_`
 */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  for (const g of gradsOf(parameters)) {
    const v = g.values();
    backend().unary('clamp', v, v, -clipValue, clipValue);
    if (v !== g.data) g.data.set(v, g.offset);
  }
}
