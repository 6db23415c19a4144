// Batch normalisation over x viewed as [n, c, hw], for the channels [c0, c1) (the two threads
// split the channels). Each plane is summed four lanes at a time and the planes' sums added in
// double precision, as PyTorch's CPU kernels accumulate them.

// @ts-ignore: decorator
@inline function planeAt(x: usize, s: i32, ch: i32, c: i32, hw: i32): usize {
  return x + ((<usize>((s * c + ch) * hw)) << 2);
}

// @ts-ignore: decorator
@inline function lanes(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) +
    <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) +
    <f64>f32x4.extract_lane(v, 3)
  );
}

function planeSum(p: usize, hw: i32): f64 {
  const hw4 = hw & ~3;
  let acc = f32x4.splat(0);
  for (let i = 0; i < hw4; i += 4) acc = f32x4.add(acc, v128.load(p + ((<usize>i) << 2)));
  let sum = lanes(acc);
  for (let i = hw4; i < hw; i++) sum += <f64>load<f32>(p + ((<usize>i) << 2));
  return sum;
}

function planeSquares(p: usize, hw: i32, m: f32): f64 {
  const hw4 = hw & ~3;
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  for (let i = 0; i < hw4; i += 4) {
    const d = f32x4.sub(v128.load(p + ((<usize>i) << 2)), mv);
    acc = f32x4.add(acc, f32x4.mul(d, d));
  }
  let sum = lanes(acc);
  for (let i = hw4; i < hw; i++) {
    const d = load<f32>(p + ((<usize>i) << 2)) - m;
    sum += <f64>(d * d);
  }
  return sum;
}

function channelSum(x: usize, n: i32, c: i32, hw: i32, ch: i32): f64 {
  let sum: f64 = 0;
  for (let s = 0; s < n; s++) sum += planeSum(planeAt(x, s, ch, c, hw), hw);
  return sum;
}

function channelSquares(x: usize, n: i32, c: i32, hw: i32, ch: i32, m: f32): f64 {
  let sum: f64 = 0;
  for (let s = 0; s < n; s++) sum += planeSquares(planeAt(x, s, ch, c, hw), hw, m);
  return sum;
}

/**
 * Per channel of x [n, c, hw], the sums (double) of its values, or with `mean` (not 0) of the squared
 * distances from it: one thread's share of a batch's statistics, which the threads then add.
 */
export function batchNormPartialSums(x: usize, mean: usize, n: i32, c: i32, hw: i32, sums: usize): void {
  for (let ch = 0; ch < c; ch++) {
    const at = (<usize>ch) << 3;
    store<f64>(
      sums + at,
      mean == 0 ? channelSum(x, n, c, hw, ch) : channelSquares(x, n, c, hw, ch, load<f32>(mean + ((<usize>ch) << 2))),
    );
  }
}

/**
 * Mean and invstd = 1 / sqrt(biased var + eps) per channel; where runMean is not 0, also
 * running = factor * batch + (1 - factor) * running, the variance unbiased.
 */
export function batchNormStatsRange(
  x: usize,
  mean: usize,
  invstd: usize,
  runMean: usize,
  runVar: usize,
  n: i32,
  c: i32,
  hw: i32,
  eps: f64,
  factor: f64,
  c0: i32,
  c1: i32,
): void {
  const count = <f64>n * <f64>hw;
  for (let ch = c0; ch < c1; ch++) {
    const m = <f32>(channelSum(x, n, c, hw, ch) / count);
    const varSum = channelSquares(x, n, c, hw, ch, m);
    const at = (<usize>ch) << 2;
    store<f32>(mean + at, m);
    store<f32>(invstd + at, <f32>(1 / Math.sqrt(varSum / count + eps)));
    if (runMean != 0) {
      store<f32>(runMean + at, <f32>(factor * <f64>m + (1 - factor) * <f64>load<f32>(runMean + at)));
      store<f32>(runVar + at, <f32>(factor * (varSum / (count - 1)) + (1 - factor) * <f64>load<f32>(runVar + at)));
    }
  }
}

// @ts-ignore: decorator
@inline function invstdOf(stat: usize, at: usize, eps: f32, fromVar: i32): f32 {
  return fromVar ? <f32>1 / Mathf.sqrt(load<f32>(stat + at) + eps) : load<f32>(stat + at);
}

/** out = x * alpha + beta, alpha = invstd * weight, beta = bias - mean * alpha; `stat` is the variance when fromVar. */
export function batchNormApplyRange(
  x: usize,
  mean: usize,
  stat: usize,
  weight: usize,
  bias: usize,
  out: usize,
  n: i32,
  c: i32,
  hw: i32,
  eps: f32,
  fromVar: i32,
  c0: i32,
  c1: i32,
): void {
  const hw4 = hw & ~3;
  for (let ch = c0; ch < c1; ch++) {
    const at = (<usize>ch) << 2;
    const alpha = invstdOf(stat, at, eps, fromVar) * (weight != 0 ? load<f32>(weight + at) : <f32>1);
    const beta = (bias != 0 ? load<f32>(bias + at) : <f32>0) - load<f32>(mean + at) * alpha;
    const av = f32x4.splat(alpha);
    const bv = f32x4.splat(beta);
    for (let s = 0; s < n; s++) {
      const p = planeAt(x, s, ch, c, hw);
      const o = planeAt(out, s, ch, c, hw);
      for (let i = 0; i < hw4; i += 4) {
        const off = (<usize>i) << 2;
        v128.store(o + off, f32x4.add(f32x4.mul(v128.load(p + off), av), bv));
      }
      for (let i = hw4; i < hw; i++) {
        const off = (<usize>i) << 2;
        store<f32>(o + off, load<f32>(p + off) * alpha + beta);
      }
    }
  }
}

/** The sum of dy (x - mean) that gradientSum leaves: a WebAssembly global, so each thread has its own. */
let gradientDot: f64 = 0;

/** The sum of dy over channel ch's planes, in double; the sum of dy (x - mean) goes to gradientDot. */
// @ts-ignore: decorator
@inline function gradientSum(x: usize, dy: usize, m: f32, n: i32, c: i32, hw: i32, ch: i32): f64 {
  const hw4 = hw & ~3;
  const mv = f32x4.splat(m);
  let sum: f64 = 0;
  let dotp: f64 = 0;
  for (let s = 0; s < n; s++) {
    const p = planeAt(x, s, ch, c, hw);
    const g = planeAt(dy, s, ch, c, hw);
    let sv = f32x4.splat(0);
    let dv = f32x4.splat(0);
    for (let i = 0; i < hw4; i += 4) {
      const off = (<usize>i) << 2;
      const gy = v128.load(g + off);
      sv = f32x4.add(sv, gy);
      dv = f32x4.add(dv, f32x4.mul(f32x4.sub(v128.load(p + off), mv), gy));
    }
    sum += lanes(sv);
    dotp += lanes(dv);
    for (let i = hw4; i < hw; i++) {
      const off = (<usize>i) << 2;
      const gy = load<f32>(g + off);
      sum += <f64>gy;
      dotp += <f64>((load<f32>(p + off) - m) * gy);
    }
  }
  gradientDot = dotp;
  return sum;
}

/**
 * dx = (dy - sum/N - (x - mean) k) scale over channel ch's planes, scale = invstd w and k = dotp
 * invstd^2 / N from the batch's sum of dy and dotp of dy (x - mean), N = count; with fromVar
 * (evaluation), dy scale. The weight at `weight + at`, 1 where `weight` is 0.
 */
function channelGradInput(
  x: usize,
  dy: usize,
  dx: usize,
  mean: usize,
  invstd: usize,
  weight: usize,
  eps: f32,
  fromVar: i32,
  sum: f64,
  dotp: f64,
  count: f64,
  n: i32,
  c: i32,
  hw: i32,
  ch: i32,
): void {
  const at = (<usize>ch) << 2;
  const m = load<f32>(mean + at);
  const is = invstdOf(invstd, at, eps, fromVar);
  const scale = is * (weight != 0 ? load<f32>(weight + at) : <f32>1);
  const k = fromVar ? <f32>0 : <f32>((dotp * <f64>is * <f64>is) / count);
  const gradMean = fromVar ? <f32>0 : <f32>(sum / count);
  const hw4 = hw & ~3;
  const mv = f32x4.splat(m);
  const sc = f32x4.splat(scale);
  const kv = f32x4.splat(k);
  const gm = f32x4.splat(gradMean);
  for (let s = 0; s < n; s++) {
    const p = planeAt(x, s, ch, c, hw);
    const g = planeAt(dy, s, ch, c, hw);
    const o = planeAt(dx, s, ch, c, hw);
    if (fromVar) {
      for (let i = 0; i < hw4; i += 4) {
        const off = (<usize>i) << 2;
        v128.store(o + off, f32x4.mul(v128.load(g + off), sc));
      }
      for (let i = hw4; i < hw; i++) {
        const off = (<usize>i) << 2;
        store<f32>(o + off, load<f32>(g + off) * scale);
      }
      continue;
    }
    for (let i = 0; i < hw4; i += 4) {
      const off = (<usize>i) << 2;
      const centred = f32x4.mul(f32x4.sub(v128.load(p + off), mv), kv);
      v128.store(o + off, f32x4.mul(f32x4.sub(f32x4.sub(v128.load(g + off), gm), centred), sc));
    }
    for (let i = hw4; i < hw; i++) {
      const off = (<usize>i) << 2;
      store<f32>(o + off, (load<f32>(g + off) - gradMean - (load<f32>(p + off) - m) * k) * scale);
    }
  }
}

/**
 * dweight = sum(dy (x - mean)) invstd, dbias = sum(dy); dx = (dy - sum(dy)/N - (x - mean) k)
 * invstd w with k = sum(dy (x - mean)) invstd^2 / N, or with fromVar (evaluation) dy invstd w.
 * Outputs at 0 are skipped.
 */
export function batchNormBackwardRange(
  x: usize,
  dy: usize,
  mean: usize,
  stat: usize,
  weight: usize,
  dx: usize,
  dweight: usize,
  dbias: usize,
  n: i32,
  c: i32,
  hw: i32,
  eps: f32,
  fromVar: i32,
  c0: i32,
  c1: i32,
): void {
  const count = <f64>n * <f64>hw;
  for (let ch = c0; ch < c1; ch++) {
    const at = (<usize>ch) << 2;
    const invstd = invstdOf(stat, at, eps, fromVar);
    const m = load<f32>(mean + at);
    const sum = gradientSum(x, dy, m, n, c, hw, ch);
    const dotp = gradientDot;
    if (dweight != 0) store<f32>(dweight + at, <f32>(dotp * <f64>invstd));
    if (dbias != 0) store<f32>(dbias + at, <f32>sum);
    if (dx != 0) channelGradInput(x, dy, dx, mean, stat, weight, eps, fromVar, sum, dotp, count, n, c, hw, ch);
  }
}

/**
 * One thread's share of batch norm's backward pass over its samples x, dy [n, c, hw]: per channel
 * the sums (double) of dy and of dy (x - mean) into sums [c][2], and dweight and dbias from them.
 */
export function batchNormGradientSums(
  x: usize,
  dy: usize,
  mean: usize,
  invstd: usize,
  dweight: usize,
  dbias: usize,
  n: i32,
  c: i32,
  hw: i32,
  sums: usize,
): void {
  for (let ch = 0; ch < c; ch++) {
    const at = (<usize>ch) << 2;
    const sum = gradientSum(x, dy, load<f32>(mean + at), n, c, hw, ch);
    store<f64>(sums + ((<usize>ch) << 4), sum);
    store<f64>(sums + ((<usize>ch) << 4) + 8, gradientDot);
    if (dweight != 0) store<f32>(dweight + at, <f32>(gradientDot * <f64>load<f32>(invstd + at)));
    if (dbias != 0) store<f32>(dbias + at, <f32>sum);
  }
}

/**
 * dx of batch norm's backward pass over one thread's samples, from the whole batch's sums: those
 * of the first thread's samples at `first` plus the second's at `second` (0 for none), `count`
 * values per channel in all.
 */
export function batchNormGradInputSplit(
  x: usize,
  dy: usize,
  mean: usize,
  invstd: usize,
  weight: usize,
  dx: usize,
  n: i32,
  c: i32,
  hw: i32,
  first: usize,
  second: usize,
  count: f64,
): void {
  for (let ch = 0; ch < c; ch++) {
    const q = (<usize>ch) << 4;
    let sum = load<f64>(first + q),
      dotp = load<f64>(first + q + 8);
    if (second != 0) {
      sum += load<f64>(second + q);
      dotp += load<f64>(second + q + 8);
    }
    channelGradInput(x, dy, dx, mean, invstd, weight, 0, 0, sum, dotp, count, n, c, hw, ch);
  }
}
