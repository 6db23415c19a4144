// Row-wise kernels over [rows, size] float32 data: softmax / log-softmax and their gradients, and
// the negative log-likelihood loss. Sums are taken in f64, as the reference kernels do.

export function softmaxRows(x: usize, out: usize, rows: i32, size: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>(r * size)) << 2);
    const dst = out + ((<usize>(r * size)) << 2);
    let max: f64 = -Infinity;
    for (let i = 0; i < size; i++) max = Math.max(max, <f64>load<f32>(row + ((<usize>i) << 2)));
    let total: f64 = 0;
    for (let i = 0; i < size; i++) total += Math.exp(<f64>load<f32>(row + ((<usize>i) << 2)) - max);
    if (log) {
      const shift = max + Math.log(total);
      for (let i = 0; i < size; i++)
        store<f32>(dst + ((<usize>i) << 2), <f32>(<f64>load<f32>(row + ((<usize>i) << 2)) - shift));
    } else {
      for (let i = 0; i < size; i++)
        store<f32>(dst + ((<usize>i) << 2), <f32>(Math.exp(<f64>load<f32>(row + ((<usize>i) << 2)) - max) / total));
    }
  }
}

/** dx from dy and the forward output y: y * (dy - sum(dy * y)), or for log-softmax dy - exp(y) * sum(dy). */
export function softmaxRowsBackward(dy: usize, y: usize, dx: usize, rows: i32, size: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>(r * size)) << 2;
    let dot: f64 = 0;
    for (let i = 0; i < size; i++) {
      const k = off + ((<usize>i) << 2);
      dot += log ? <f64>load<f32>(dy + k) : <f64>load<f32>(dy + k) * <f64>load<f32>(y + k);
    }
    for (let i = 0; i < size; i++) {
      const k = off + ((<usize>i) << 2);
      const g = <f64>load<f32>(dy + k);
      const v = <f64>load<f32>(y + k);
      store<f32>(dx + k, <f32>(log ? g - Math.exp(v) * dot : v * (g - dot)));
    }
  }
}

/** loss[i] = -logp[i, target[i]]; returns the first out-of-range target's row, or -1. */
export function nllRows(logp: usize, target: usize, loss: usize, n: i32, c: i32): i32 {
  for (let i = 0; i < n; i++) {
    const t = <i32>load<f32>(target + ((<usize>i) << 2));
    if (t < 0 || t >= c) return i;
    store<f32>(loss + ((<usize>i) << 2), -load<f32>(logp + ((<usize>(i * c + t)) << 2)));
  }
  return -1;
}

export function nllRowsBackward(dloss: usize, target: usize, dlogp: usize, n: i32, c: i32): void {
  memory.fill(dlogp, 0, (<usize>(n * c)) << 2);
  for (let i = 0; i < n; i++) {
    const t = <i32>load<f32>(target + ((<usize>i) << 2));
    store<f32>(dlogp + ((<usize>(i * c + t)) << 2), -load<f32>(dloss + ((<usize>i) << 2)));
  }
}
