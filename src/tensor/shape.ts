/** A tensor's size along each dim. */
export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function normalizeDim(dim: number, ndim: number): number {
  const d = dim < 0 ? dim + Math.max(ndim, 1) : dim;
  if (d < 0 || d >= Math.max(ndim, 1)) {
    throw new RangeError(
      `Dimension out of range (expected to be in range of [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}], but got ${dim})`,
    );
  }
  return d;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a single -1 in a view/reshape request against the element count. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new RangeError('only one dimension can be inferred (-1)');
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`invalid shape dimension ${d}`);
    } else known *= d;
  });
  const out = [...shape];
  if (unknown >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new RangeError(`shape '${formatShape(shape)}' is invalid for input of size ${numel}`);
    }
    out[unknown] = numel / known;
  } else if (known !== numel) {
    throw new RangeError(`shape '${formatShape(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

/**
 * The strides that view a tensor of `shape` and `strides` as `newShape` without copying, or null
 * where some new dim would span two separately laid out runs (PyTorch's computeStride).
 */
export function viewStrides(shape: Shape, strides: Shape, newShape: Shape): number[] | null {
  if (shape.length === 0) return newShape.map(() => 1);
  const numel = numelOf(shape);
  if (numel === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkStride = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkStride = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}
