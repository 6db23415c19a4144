// Optimizer updates in place, with PyTorch 1.13's arithmetic (see the reference kernels).

export function sgdStep(param: usize, grad: usize, buf: usize, n: i32, first: bool, lr: f64, momentum: f64, dampening: f64, nesterov: bool, weightDecay: f64): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    let d = <f64>load<f32>(grad + off);
    if (weightDecay != 0) d += weightDecay * <f64>load<f32>(param + off);
    if (buf != 0) {
      const b = <f32>(first ? d : momentum * <f64>load<f32>(buf + off) + (1 - dampening) * d);
      store<f32>(buf + off, b);
      d = nesterov ? d + momentum * <f64>b : <f64>b;
    }
    store<f32>(param + off, <f32>(<f64>load<f32>(param + off) - lr * d));
  }
}

export function adamStep(param: usize, grad: usize, m: usize, v: usize, vmax: usize, n: i32, lr: f64, beta1: f64, beta2: f64, eps: f64, weightDecay: f64, decoupled: bool, step: f64): void {
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
  const stepSize = lr / bc1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    let g = <f64>load<f32>(grad + off);
    if (decoupled) store<f32>(param + off, <f32>(<f64>load<f32>(param + off) * decay));
    else if (weightDecay != 0) g += weightDecay * <f64>load<f32>(param + off);
    const mi = <f32>(<f64>load<f32>(m + off) * beta1 + (1 - beta1) * g);
    const vi = <f32>(<f64>load<f32>(v + off) * beta2 + (1 - beta2) * g * g);
    store<f32>(m + off, mi);
    store<f32>(v + off, vi);
    let second = vi;
    if (vmax != 0) {
      const prev = load<f32>(vmax + off);
      if (prev < second || prev != prev) store<f32>(vmax + off, second);
      second = load<f32>(vmax + off);
    }
    store<f32>(param + off, <f32>(<f64>load<f32>(param + off) - stepSize * (<f64>mi / (Math.sqrt(<f64>second) / bc2Sqrt + eps))));
  }
}
