// Optimizer updates in place, with PyTorch 1.13's arithmetic (see the reference kernels): each
// value is computed in f64 and rounded to f32 where the reference stores it, two lanes at a time.

/** Lanes 0-1 and 2-3 of four f32 values, each pair widened to f64. */
// @ts-ignore: decorator
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Rounds two f64 pairs to four f32 values. */
// @ts-ignore: decorator
@inline function narrow(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

export function sgdStep(
  param: usize,
  grad: usize,
  buf: usize,
  n: i32,
  first: bool,
  lr: f64,
  momentum: f64,
  dampening: f64,
  nesterov: bool,
  weightDecay: f64,
): void {
  const lrs = f64x2.splat(lr),
    mom = f64x2.splat(momentum),
    keep = f64x2.splat(1 - dampening),
    wd = f64x2.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    const g = v128.load(grad + off),
      p = v128.load(param + off);
    const pl = low(p),
      ph = high(p);
    let dl = low(g),
      dh = high(g);
    if (weightDecay != 0) {
      dl = f64x2.add(dl, f64x2.mul(wd, pl));
      dh = f64x2.add(dh, f64x2.mul(wd, ph));
    }
    if (buf != 0) {
      let b: v128;
      if (first) b = narrow(dl, dh);
      else {
        const old = v128.load(buf + off);
        b = narrow(
          f64x2.add(f64x2.mul(mom, low(old)), f64x2.mul(keep, dl)),
          f64x2.add(f64x2.mul(mom, high(old)), f64x2.mul(keep, dh)),
        );
      }
      v128.store(buf + off, b);
      if (nesterov) {
        dl = f64x2.add(dl, f64x2.mul(mom, low(b)));
        dh = f64x2.add(dh, f64x2.mul(mom, high(b)));
      } else {
        dl = low(b);
        dh = high(b);
      }
    }
    v128.store(param + off, narrow(f64x2.sub(pl, f64x2.mul(lrs, dl)), f64x2.sub(ph, f64x2.mul(lrs, dh))));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
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

export function adamStep(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  vmax: usize,
  n: i32,
  lr: f64,
  beta1: f64,
  beta2: f64,
  eps: f64,
  weightDecay: f64,
  decoupled: bool,
  step: f64,
): void {
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
  const stepSize = lr / bc1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  let i = 0;
  if (vmax == 0) {
    const b1 = f64x2.splat(beta1),
      c1 = f64x2.splat(1 - beta1),
      b2 = f64x2.splat(beta2),
      c2 = f64x2.splat(1 - beta2);
    const dec = f64x2.splat(decay),
      wd = f64x2.splat(weightDecay),
      size = f64x2.splat(stepSize),
      bc2 = f64x2.splat(bc2Sqrt),
      e = f64x2.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const off = (<usize>i) << 2;
      let p = v128.load(param + off);
      let gl = low(v128.load(grad + off)),
        gh = high(v128.load(grad + off));
      if (decoupled) {
        p = narrow(f64x2.mul(low(p), dec), f64x2.mul(high(p), dec));
      } else if (weightDecay != 0) {
        gl = f64x2.add(gl, f64x2.mul(wd, low(p)));
        gh = f64x2.add(gh, f64x2.mul(wd, high(p)));
      }
      const mo = v128.load(m + off),
        vo = v128.load(v + off);
      const mi = narrow(
        f64x2.add(f64x2.mul(low(mo), b1), f64x2.mul(c1, gl)),
        f64x2.add(f64x2.mul(high(mo), b1), f64x2.mul(c1, gh)),
      );
      const vi = narrow(
        f64x2.add(f64x2.mul(low(vo), b2), f64x2.mul(f64x2.mul(c2, gl), gl)),
        f64x2.add(f64x2.mul(high(vo), b2), f64x2.mul(f64x2.mul(c2, gh), gh)),
      );
      v128.store(m + off, mi);
      v128.store(v + off, vi);
      const ul = f64x2.mul(size, f64x2.div(low(mi), f64x2.add(f64x2.div(f64x2.sqrt(low(vi)), bc2), e)));
      const uh = f64x2.mul(size, f64x2.div(high(mi), f64x2.add(f64x2.div(f64x2.sqrt(high(vi)), bc2), e)));
      v128.store(param + off, narrow(f64x2.sub(low(p), ul), f64x2.sub(high(p), uh)));
    }
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
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
    store<f32>(
      param + off,
      <f32>(<f64>load<f32>(param + off) - stepSize * (<f64>mi / (Math.sqrt(<f64>second) / bc2Sqrt + eps))),
    );
  }
}
