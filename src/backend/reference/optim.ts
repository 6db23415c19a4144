import type { AdamHyper, FloatArray, SgdHyper } from '../types.js';

/** torch.optim.SGD's update for one parameter (PyTorch 1.13 semantics). */
export function sgdStep(
  param: FloatArray,
  grad: FloatArray,
  buf: FloatArray | null,
  first: boolean,
  h: SgdHyper,
): void {
  const { lr, momentum, dampening, nesterov, weightDecay } = h;
  for (let i = 0; i < param.length; i++) {
    let d = grad[i];
    if (weightDecay !== 0) d += weightDecay * param[i];
    if (buf) {
      const b = first ? d : momentum * buf[i] + (1 - dampening) * d;
      buf[i] = b;
      d = nesterov ? d + momentum * buf[i] : buf[i];
    }
    param[i] -= lr * d;
  }
}

/** torch.optim.Adam / AdamW's update for one parameter (PyTorch 1.13 semantics). */
export function adamStep(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vmax: FloatArray | null,
  h: AdamHyper,
): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = h;
  const bc1 = 1 - beta1 ** step;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const stepSize = lr / bc1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  for (let i = 0; i < param.length; i++) {
    let g = grad[i];
    if (decoupled) param[i] *= decay;
    else if (weightDecay !== 0) g += weightDecay * param[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    let second = v[i];
    if (vmax) {
      if (vmax[i] < second || vmax[i] !== vmax[i]) vmax[i] = second;
      second = vmax[i];
    }
    param[i] -= stepSize * (m[i] / (Math.sqrt(second) / bc2Sqrt + eps));
  }
}
