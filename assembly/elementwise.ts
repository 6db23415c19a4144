// Elementwise kernels over float32 arrays, four lanes at a time.

// @ts-ignore: decorator
@inline const ADD = 0;
// @ts-ignore: decorator
@inline const SUB = 1;
// @ts-ignore: decorator
@inline const MUL = 2;
// @ts-ignore: decorator
@inline const DIV = 3;
// @ts-ignore: decorator
@inline const RELU_GRAD = 4;

// @ts-ignore: decorator
@inline function apply4(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD:
      return f32x4.add(a, b);
    case SUB:
      return f32x4.sub(a, b);
    case MUL:
      return f32x4.mul(a, b);
    case DIV:
      return f32x4.div(a, b);
    default:
      return v128.andnot(a, f32x4.le(b, f32x4.splat(0)));
  }
}

// @ts-ignore: decorator
@inline function apply1(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD:
      return a + b;
    case SUB:
      return a - b;
    case MUL:
      return a * b;
    case DIV:
      return a / b;
    default:
      return b <= 0 ? 0 : a;
  }
}

/** out = a (op) b over n elements; `bStep` 0 broadcasts b's first element. RELU_GRAD is a where b > 0 or NaN, else 0 (PyTorch's threshold_backward). */
export function binary(op: i32, a: usize, b: usize, bStep: i32, out: usize, n: i32): void {
  const n4 = n & ~3;
  if (bStep == 0) {
    const s = load<f32>(b);
    const sv = f32x4.splat(s);
    for (let i = 0; i < n4; i += 4) {
      const off = (<usize>i) << 2;
      v128.store(out + off, apply4(op, v128.load(a + off), sv));
    }
    for (let i = n4; i < n; i++) store<f32>(out + ((<usize>i) << 2), apply1(op, load<f32>(a + ((<usize>i) << 2)), s));
    return;
  }
  for (let i = 0; i < n4; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(out + off, apply4(op, v128.load(a + off), v128.load(b + off)));
  }
  for (let i = n4; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(out + off, apply1(op, load<f32>(a + off), load<f32>(b + off)));
  }
}

export function relu(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const off = (<usize>i) << 2;
    const v = v128.load(x + off);
    v128.store(out + off, v128.andnot(v, f32x4.le(v, zero)));
  }
  for (let i = n4; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    store<f32>(out + ((<usize>i) << 2), v <= 0 ? 0 : v);
  }
}

/** out[c] = sum over samples and positions of x[n, c, l] (a convolution's bias gradient), in f64 per row. */
export function channelSums(x: usize, n: i32, c: i32, l: i32, out: usize): void {
  const l4 = l & ~3;
  for (let ch = 0; ch < c; ch++) {
    let total: f64 = 0;
    for (let s = 0; s < n; s++) {
      const row = x + ((<usize>((s * c + ch) * l)) << 2);
      let acc = f32x4.splat(0);
      for (let i = 0; i < l4; i += 4) acc = f32x4.add(acc, v128.load(row + ((<usize>i) << 2)));
      let rowSum: f64 =
        <f64>f32x4.extract_lane(acc, 0) +
        <f64>f32x4.extract_lane(acc, 1) +
        <f64>f32x4.extract_lane(acc, 2) +
        <f64>f32x4.extract_lane(acc, 3);
      for (let i = l4; i < l; i++) rowSum += <f64>load<f32>(row + ((<usize>i) << 2));
      total += rowSum;
    }
    store<f32>(out + ((<usize>ch) << 2), <f32>total);
  }
}

/** out[r, i] = a[r, i] (op) b[r] over `rows` rows of `inner` elements: b broadcast along each row. */
export function binaryRows(op: i32, a: usize, b: usize, out: usize, rows: i32, inner: i32): void {
  const inner4 = inner & ~3;
  for (let r = 0; r < rows; r++) {
    const s = load<f32>(b + ((<usize>r) << 2));
    const sv = f32x4.splat(s);
    const base = (<usize>(r * inner)) << 2;
    for (let i = 0; i < inner4; i += 4) {
      const off = base + ((<usize>i) << 2);
      v128.store(out + off, apply4(op, v128.load(a + off), sv));
    }
    for (let i = inner4; i < inner; i++) {
      const off = base + ((<usize>i) << 2);
      store<f32>(out + off, apply1(op, load<f32>(a + off), s));
    }
  }
}

/** out[r, j] = a[r, j] (op) b[j] over `rows` rows of `cols`: b broadcast down the columns (a bias). */
export function binaryCols(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32): void {
  const cols4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>(r * cols)) << 2;
    for (let j = 0; j < cols4; j += 4) {
      const off = base + ((<usize>j) << 2);
      v128.store(out + off, apply4(op, v128.load(a + off), v128.load(b + ((<usize>j) << 2))));
    }
    for (let j = cols4; j < cols; j++) {
      const off = base + ((<usize>j) << 2);
      store<f32>(out + off, apply1(op, load<f32>(a + off), load<f32>(b + ((<usize>j) << 2))));
    }
  }
}
