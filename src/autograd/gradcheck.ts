import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad_mode.js';

/** Step and tolerances of `gradcheck`'s finite differences. */
export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
}

/** What `gradcheck` found: whether every gradient matched, and the worst error. */
export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytical - numerical| found, and where. */
  maxError: number;
  input: number;
  index: number;
}

/**
 * Compares the gradients backward() computes for `fn(...inputs)` with central finite differences,
 * input by input and element by element. Use float64 inputs that require grad.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = opts;
  const out = fn(...inputs);
  // A random projection turns any output into a scalar whose gradient checks every output element.
  const weights = new Tensor(
    Float64Array.from({ length: out.numel() }, (_, i) => Math.sin(i * 12.9898 + 1) * 0.5 + 0.75),
    out.shape,
    'float64',
  );
  const project = (t: Tensor) => {
    const v = t.values();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * weights.data[i];
    return s;
  };
  for (const x of inputs) x.grad = null;
  out.backward(out.dtype === 'float64' ? weights : weights.to(out.dtype));
  const result: GradcheckResult = { ok: true, maxError: 0, input: -1, index: -1 };
  inputs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    if (!x.isContiguous()) throw new Error('gradcheck needs contiguous inputs');
    const analytical = x.grad ? x.grad.values() : new Float64Array(x.numel());
    for (let i = 0; i < x.numel(); i++) {
      const orig = x.data[x.offset + i];
      const f = (v: number) => {
        x.data[x.offset + i] = v;
        return noGrad(() => project(fn(...inputs)));
      };
      const numerical = (f(orig + eps) - f(orig - eps)) / (2 * eps);
      x.data[x.offset + i] = orig;
      const err = Math.abs(analytical[i] - numerical);
      if (err > result.maxError) Object.assign(result, { maxError: err, input: k, index: i });
      if (err > atol + rtol * Math.abs(numerical)) result.ok = false;
    }
  });
  return result;
}
