// Matrix products by name: mm and bmm (checked shapes, as PyTorch checks them) and einsum, which
// lines every operand up over all the equation's letters, then contracts pairs with one batched
// matrix product each.
import { formatShape, numelOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { matmul } from './linalg.js';
import { sum } from './reduce.js';
import { expand, permute, reshape } from './shape.js';

/**
 * The product of two matrices.
 * @pytorch `torch.mm`
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new RangeError('self must be a matrix');
  if (b.ndim !== 2) throw new RangeError('mat2 must be a matrix');
  return matmul(a, b);
}

/**
 * The products of two batches of matrices, [b, n, m] @ [b, m, p].
 * @pytorch `torch.bmm`
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new RangeError('batch1 must be a 3D tensor');
  if (b.ndim !== 3) throw new RangeError('batch2 must be a 3D tensor');
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2])
    throw new RangeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  return matmul(a, b);
}

interface Operand {
  t: Tensor;
  letters: string[];
}

/** Sums away the letters of `x` that nothing later needs. */
function sumOut(x: Operand, keep: Set<string>): Operand {
  let { t, letters } = x;
  for (let i = letters.length - 1; i >= 0; i--) {
    if (keep.has(letters[i])) continue;
    t = sum(t, i);
    letters = letters.filter((_, j) => j !== i);
  }
  return { t, letters };
}

/** `x` expanded where a letter it shares with `other` has size 1 in x only. */
function broadcastShared(x: Operand, other: Operand): Operand {
  const shape = x.letters.map((l, i) => {
    const j = other.letters.indexOf(l);
    return j >= 0 ? Math.max(x.t.shape[i], other.t.shape[j]) : x.t.shape[i];
  });
  return { t: expand(x.t, shape), letters: x.letters };
}

/** Contracts two operands over the letters they share that `keep` does not name: one batched matmul. */
function contract(a: Operand, b: Operand, keep: Set<string>): Operand {
  [a, b] = [broadcastShared(a, b), broadcastShared(b, a)];
  const inB = new Set(b.letters);
  const inA = new Set(a.letters);
  const batch = a.letters.filter((l) => inB.has(l) && keep.has(l));
  const summed = a.letters.filter((l) => inB.has(l) && !keep.has(l));
  const onlyA = a.letters.filter((l) => !inB.has(l));
  const onlyB = b.letters.filter((l) => !inA.has(l));
  const size = (x: Operand, l: string) => x.t.shape[x.letters.indexOf(l)];
  const dimsOf = (x: Operand, ls: string[]) => ls.map((l) => x.letters.indexOf(l));
  const count = (x: Operand, ls: string[]) => numelOf(ls.map((l) => size(x, l)));
  const batchShape = batch.map((l) => size(a, l));
  const am = reshape(permute(a.t, dimsOf(a, [...batch, ...onlyA, ...summed])), [
    ...batch.map((l) => size(a, l)),
    count(a, onlyA),
    count(a, summed),
  ]);
  const bm = reshape(permute(b.t, dimsOf(b, [...batch, ...summed, ...onlyB])), [
    ...batch.map((l) => size(b, l)),
    count(b, summed),
    count(b, onlyB),
  ]);
  const product = matmul(am, bm);
  const shape = [...batchShape, ...onlyA.map((l) => size(a, l)), ...onlyB.map((l) => size(b, l))];
  return { t: reshape(product, shape), letters: [...batch, ...onlyA, ...onlyB] };
}

/**
 * Einstein summation over one or more operands: `einsum('ij,jk->ik', a, b)`, `'bij,bjk->bik'`,
 * `'ii->'` is not supported (a letter twice in one operand), nor is `...`. Without `->`, the
 * output is the letters that appear once, in alphabetical order.
 * @pytorch `torch.einsum`
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  const eq = equation.replace(/\s/g, '');
  if (eq.includes('...')) throw new RangeError('einsum: not supported: ellipsis (...)');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, undefined];
  const terms = lhs.split(',');
  if (terms.length !== operands.length)
    throw new RangeError(`einsum(): more operands were provided than specified in the equation`);
  const ops: Operand[] = terms.map((term, i) => {
    const letters = [...term];
    if (letters.some((l) => !/[a-zA-Z]/.test(l)))
      throw new RangeError(`einsum(): invalid subscript given in the equation: '${term}'`);
    if (new Set(letters).size !== letters.length)
      throw new RangeError(`einsum: not supported: a subscript repeated in one operand ('${term}')`);
    if (letters.length !== operands[i].ndim)
      throw new RangeError(
        `einsum(): the number of subscripts in the equation (${letters.length}) does not match the number of dimensions (${operands[i].ndim}) for operand ${i} and no ellipsis was given`,
      );
    return { t: operands[i], letters };
  });
  const counts = new Map<string, number>();
  for (const o of ops) for (const l of o.letters) counts.set(l, (counts.get(l) ?? 0) + 1);
  const output = rhs !== undefined ? [...rhs] : [...counts.keys()].filter((l) => counts.get(l) === 1).sort();
  for (const l of output)
    if (!counts.has(l))
      throw new RangeError(`einsum(): output subscript ${l} does not appear in the equation for any input operand`);
  for (const l of counts.keys()) {
    const sizes = ops.filter((o) => o.letters.includes(l)).map((o) => o.t.shape[o.letters.indexOf(l)]);
    const s = Math.max(...sizes);
    if (sizes.some((x) => x !== s && x !== 1))
      throw new RangeError(
        `einsum(): operands do not broadcast with remapped shapes (original->remapped): subscript ${l} has sizes ${sizes.join(' and ')} (${ops.map((o) => formatShape(o.t.shape)).join(', ')})`,
      );
  }
  const needed = (rest: Operand[]) => new Set([...output, ...rest.flatMap((o) => o.letters)]);
  let acc = sumOut(ops[0], needed(ops.slice(1)));
  for (let i = 1; i < ops.length; i++) {
    const keep = needed(ops.slice(i + 1));
    acc = contract(acc, sumOut(ops[i], new Set([...keep, ...acc.letters])), keep);
  }
  acc = sumOut(acc, new Set(output));
  return permute(
    acc.t,
    output.map((l) => acc.letters.indexOf(l)),
  );
}
