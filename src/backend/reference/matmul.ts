import type { FloatArray } from '../types.js';

const K_BLOCK = 256;
const N_BLOCK = 512;

export function matmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (!accumulate) out.fill(0, 0, m * n);
  if (transA && transB) {
    mmNT(transposed(a, k, m), b, out, m, n, k);
  } else if (transA) {
    if (m <= n) mmNN(transposed(a, k, m), b, out, m, n, k);
    else mmTN(a, b, out, m, n, k);
  } else if (transB) {
    mmNT(a, b, out, m, n, k);
  } else {
    mmNN(a, b, out, m, n, k);
  }
}

function transposed(a: FloatArray, rows: number, cols: number): FloatArray {
  const t = new (a.constructor as Float32ArrayConstructor)(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
  return t;
}

/** c[m,n] += a[m,k] b[k,n]: four rows of c share each load of b; blocked over k and n. */
function mmNN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
  for (let j0 = 0; j0 < n; j0 += N_BLOCK) {
    const j1 = Math.min(n, j0 + N_BLOCK);
    for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
      const p1 = Math.min(k, p0 + K_BLOCK);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = i * n,
          c1 = c0 + n,
          c2 = c1 + n,
          c3 = c2 + n;
        for (let p = p0; p < p1; p++) {
          const a0 = a[i * k + p],
            a1 = a[(i + 1) * k + p],
            a2 = a[(i + 2) * k + p],
            a3 = a[(i + 3) * k + p];
          const bp = p * n;
          for (let j = j0; j < j1; j++) {
            const bv = b[bp + j];
            c[c0 + j] += a0 * bv;
            c[c1 + j] += a1 * bv;
            c[c2 + j] += a2 * bv;
            c[c3 + j] += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const ci = i * n;
        for (let p = p0; p < p1; p++) {
          const av = a[i * k + p];
          const bp = p * n;
          for (let j = j0; j < j1; j++) c[ci + j] += av * b[bp + j];
        }
      }
    }
  }
}

/** c[m,n] += a[m,k] b[n,k]^T as dot products, two rows by two columns at a time. */
function mmNT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = i * k,
      a1 = a0 + k;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = j * k,
        b1 = b0 + k;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p],
          x1 = a[a1 + p],
          y0 = b[b0 + p],
          y1 = b[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      c[i * n + j] += s00;
      c[i * n + j + 1] += s01;
      c[(i + 1) * n + j] += s10;
      c[(i + 1) * n + j + 1] += s11;
    }
    for (; j < n; j++) {
      const b0 = j * k;
      let s0 = 0,
        s1 = 0;
      for (let p = 0; p < k; p++) {
        s0 += a[a0 + p] * b[b0 + p];
        s1 += a[a1 + p] * b[b0 + p];
      }
      c[i * n + j] += s0;
      c[(i + 1) * n + j] += s1;
    }
  }
  for (; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[i * n + j] += s;
    }
  }
}

/** c[m,n] += a[k,m]^T b[k,n] as rank-one updates, contiguous over n. */
function mmTN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const av = a[ap + i];
      if (av === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
}
