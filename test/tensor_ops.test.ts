import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  allclose,
  amax,
  argsort,
  bmm,
  cat,
  chunk,
  concat,
  cumsum,
  einsum,
  eye,
  flip,
  fullLike,
  gather,
  isclose,
  linspace,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  logsumexp,
  manualSeed,
  maximum,
  minimum,
  mm,
  movedim,
  noGrad,
  norm,
  roll,
  scatter,
  scatterAdd,
  sort,
  split,
  stack,
  tensor,
  Tensor,
  topk,
  tril,
  triu,
  unbind,
  variance,
  where,
  zeros,
  type DType,
  type NestedArray,
} from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { decodeValue, fixtureDir, gradientWeights } from './helpers/fixtures.js';

interface Output {
  values: (number | boolean | null)[];
  dtype: DType;
  shape: number[];
}
/** What scripts/make_tensor_op_fixtures.py writes for each case. */
type Expected = { outputs: Output[]; grads?: ((number | null)[] | null)[] } | { bool: boolean } | { error: string };

const cases = JSON.parse(readFileSync(`${fixtureDir}tensor_ops.json`, 'utf8')) as Record<string, Expected>;

type Leaf = (values: NestedArray, dtype?: DType) => Tensor;
type Result = Tensor | Tensor[] | boolean;

const T = (v: NestedArray | boolean[] | boolean[][], dtype?: DType) => tensor(v as NestedArray, dtype ? { dtype } : {});
const f = (v: NestedArray) => tensor(v, { dtype: 'float32' });
const A = [
  [1.5, -2.0, 3.25],
  [0.5, 4.0, -1.0],
];
const B = [
  [2.0, 1.0, 3.25],
  [-0.5, 4.0, 2.0],
];
const V = [3.0, -1.0, 2.5, 0.0, -4.0, 1.5];
const M = [
  [1.0, 2.0],
  [0.5, -1.0],
  [2.0, 0.0],
];
const K = [
  [
    [1.0, 2],
    [3, 4],
    [5, 6],
  ],
];
const inplace = (fn: (x: Tensor) => void) => () => {
  const x = f(A);
  fn(x);
  return x;
};

/** Each case as torchlit writes it, under the fixture's name. */
const run: Record<string, (leaf: Leaf) => Result> = {
  sin: (l) => l(V).sin(),
  cos: (l) => l(V).cos(),
  floor: (l) => l([1.5, -1.5, 2.0, -0.2]).floor(),
  ceil: (l) => l([1.5, -1.5, 2.0, -0.2]).ceil(),
  round_half_even: (l) => l([0.5, 1.5, 2.5, -0.5, -2.5, 2.4, -3.6]).round(),
  trunc: (l) => l([1.7, -1.7]).trunc(),
  sign: (l) => l([2.0, -3.0, 0.0, NaN]).sign(),
  reciprocal: (l) => l([2.0, -4.0, 0.5]).reciprocal(),
  reciprocal_int: () => T([2, 4]).reciprocal(),
  rsqrt: (l) => l([4.0, 0.25, 9.0]).rsqrt(),
  square: (l) => l([1.5, -2.0]).square(),
  square_int: () => T([3, -2]).square(),
  maximum: (l) => maximum(l([1, 5, 2, NaN, 3]), l([2, 1, 2, 1, NaN])),
  minimum: (l) => minimum(l([1, 5, 2, NaN]), l([2, 1, 2, 1])),
  maximum_broadcast: (l) =>
    maximum(
      l([
        [1, 5],
        [3, 0],
      ]),
      l([2, 1]),
    ),
  logical_and: () => logicalAnd(f([1, 0, NaN, 2]), T([1, 1, 1, 0])),
  logical_or: () => logicalOr(f([0, 0, NaN]), T([0, 1, 0])),
  logical_xor: () => logicalXor(T([true, false, true]), T([true, true, false])),
  // A number, as torchlit also takes, stands for the 0-d tensor PyTorch needs.
  logical_and_fraction: () => logicalAnd(T([1, 0, 2]), 0.5),
  repeat_negative: () => f([1]).repeat(-1),
  logical_not: () => logicalNot(f([0, 1.5, NaN, -0])),
  isnan: () => f([1, NaN, Infinity]).isnan(),
  isinf: () => f([1, NaN, Infinity, -Infinity]).isinf(),
  isfinite: () => f([1, NaN, Infinity, -Infinity]).isfinite(),
  log1p: (l) => l([0, 1e-8, 1.5]).log1p(),
  cat_dim0: (l) => cat([l(A), l([[7, 8, 9]])]),
  cat_dim1: (l) => cat([l(A), l([[7], [8]])], 1),
  cat_neg_dim: (l) => cat([l(A), l(B)], -1),
  cat_promotes: () => cat([T([1, 2]), f([0.5])]),
  cat_skips_empty: (l) => cat([l([1, 2]), f([])]),
  cat_size_mismatch: () => cat([f(A), f([[1, 2]])]),
  cat_ndim_mismatch: () => cat([f(A), f([1, 2, 3])]),
  cat_empty_list: () => cat([]),
  cat_zero_dim: () => cat([f(1), f(2)]),
  concat: (l) => concat([l([1]), l([2, 3])]),
  split_size: (l) => split(l(V), 4),
  split_sizes: (l) => split(l(A), [1, 2], 1),
  split_sizes_bad: () => split(f(V), [1, 2]),
  chunk: (l) => chunk(l(V), 4),
  chunk_dim1: (l) => l(A).chunk(2, 1),
  unbind: (l) => unbind(l(A), 1),
  stack_dim1: (l) => stack([l(V.slice(0, 3)), l(V.slice(3))], 1),
  flip: (l) => flip(l(A), [0, 1]),
  flip_dim1: (l) => l(A).flip(1),
  flip_repeated_dim: () => flip(f(A), [0, 0]),
  roll_flat: (l) => roll(l(A), 2),
  roll_dims: (l) => roll(l(A), [1, -1], [0, 1]),
  roll_mismatch: () => roll(f(A), [1, 2], 0),
  repeat: (l) => l([[1, 2]]).repeat(2, 3),
  repeat_new_dims: (l) => l([1, 2]).repeat(2, 1, 2),
  repeat_too_few: () => f(A).repeat(2),
  tril: (l) =>
    tril(
      l([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, NaN],
      ]),
    ),
  tril_diag: (l) =>
    tril(
      l([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]),
      1,
    ),
  triu: (l) =>
    triu(
      l([
        [1, 2, 3],
        [4, NaN, 6],
        [7, 8, 9],
      ]),
    ),
  triu_neg_diag: (l) =>
    triu(
      l([
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]),
      -1,
    ),
  tril_1d: () => tril(f([1, 2])),
  movedim: (l) => movedim(l(K), 0, 2),
  movedim_list: () => movedim(f(K), [0, 1], [2, 0]),
  gather_dim1: (l) =>
    gather(
      l(A),
      1,
      T([
        [2, 0],
        [1, 1],
      ]),
    ),
  gather_dim0: (l) => gather(l(A), 0, T([[1, 0, 1]])),
  gather_negative_index: () => gather(f(A), 1, T([[-1], [0]])),
  gather_out_of_bounds: () => gather(f(A), 1, T([[3], [0]])),
  gather_float_index: () => gather(f(A), 1, f([[1], [0]])),
  scatter: (l) =>
    scatter(
      l(A),
      1,
      T([
        [2, 0],
        [1, 1],
      ]),
      l([
        [10, 20],
        [30, 40],
      ]),
    ),
  scatter_value: (l) => scatter(l(A), 0, T([[1, 0, 1]]), 9.5),
  scatter_add: (l) =>
    scatterAdd(
      l(A),
      1,
      T([
        [2, 0, 2],
        [1, 1, 0],
      ]),
      l([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ),
  where: (l) =>
    where(
      T([
        [true, false, true],
        [false, false, true],
      ]),
      l(A),
      l(B),
    ),
  where_broadcast: (l) => where(T([true, false, true]), l(A), l([10, 20, 30])),
  where_scalar: (l) => where(T([true, false]), l([1.5, 2.5]), 0.0),
  where_float_cond: () => where(f([1, 0]), f([1, 2]), f([3, 4])),
  where_nan_other: (l) => where(T([true, false]), l([1, 2]), f([NaN, 5])),
  masked_fill: (l) =>
    l(A).maskedFill(
      T([
        [true, false, true],
        [false, false, false],
      ]),
      -1,
    ),
  masked_fill_broadcast: (l) => l(A).maskedFill(T([false, true, false]), 7),
  masked_fill_int: () =>
    T([
      [1, 2],
      [3, 4],
    ]).maskedFill(
      T([
        [true, false],
        [false, true],
      ]),
      0,
    ),
  sort: (l) =>
    sort(
      l([
        [3, 1, 2, NaN],
        [0.5, -1, 4, 2],
      ]),
    ),
  sort_descending: (l) =>
    sort(
      l([
        [3, 1, NaN, 2],
        [0.5, -1, 4, 2],
      ]),
      -1,
      true,
    ),
  sort_dim0: (l) => l(A).sort(0),
  argsort: () => argsort(f([3, 1, 2])),
  topk: (l) =>
    topk(
      l([
        [3, 1, 2, 5],
        [0.5, -1, 4, 2],
      ]),
      2,
    ),
  topk_smallest: (l) => topk(l([3, 1, 2, 5]), 3, -1, false),
  topk_dim0: (l) => l(A).topk(1, 0),
  topk_too_many: () => topk(f([1, 2]), 3),
  cumsum: (l) => cumsum(l(A), 1),
  cumsum_dim0: (l) => l(A).cumsum(0),
  cumsum_int: () => cumsum(T([1, 2, 3]), 0),
  cumsum_bool: () => cumsum(T([true, false, true]), 0),
  var: (l) => l(V).var(),
  var_dim: (l) => l(A).var(1),
  var_biased: (l) => variance(l(A), 0, { unbiased: false, keepdim: true }),
  var_dims: (l) =>
    variance(
      l([
        [
          [1, 2],
          [3, 5],
        ],
        [
          [-1, 0],
          [2, 8],
        ],
      ]),
      [0, 2],
    ),
  var_single: () => f([2]).var(),
  std: (l) => l(V).std(),
  std_dim_keepdim: (l) => l(A).std(1, { keepdim: true }),
  std_int: () => T([1, 2]).std(),
  amax: (l) =>
    l([
      [1, 5, 5],
      [2, 2, 0],
    ]).amax(1),
  amax_all_ties: (l) =>
    amax(
      l([
        [1, 5],
        [5, 2],
      ]),
    ),
  amin_dims: (l) =>
    l([
      [
        [1, 5],
        [0, 0],
      ],
      [
        [2, 2],
        [3, 0],
      ],
    ]).amin([0, 2], true),
  amax_nan: (l) => l([1, NaN, 2]).amax(),
  logsumexp: (l) => logsumexp(l(A), 1),
  logsumexp_big: (l) => logsumexp(l([1000, 1000, -1000]), 0),
  logsumexp_neg_inf: () =>
    logsumexp(
      f([
        [-Infinity, -Infinity],
        [0, -Infinity],
      ]),
      1,
    ),
  logsumexp_dims_keepdim: (l) =>
    l([
      [
        [1, 2],
        [3, 5],
      ],
    ]).logsumexp([1, 2], true),
  norm: (l) => l(A).norm(),
  norm_dim: (l) => norm(l(A), 2, 1),
  norm_p1: (l) => norm(l(A), 1, 0),
  norm_inf: (l) =>
    norm(
      l([
        [1, -5, 5],
        [2, 0, -1],
      ]),
      Infinity,
    ),
  norm_p3: (l) => norm(l(A), 3),
  norm_zero_grad: (l) => norm(l([0, 0])),
  norm_int: () => norm(T([3, 4])),
  prod: (l) => l([...V.slice(0, 4), 2]).prod(),
  prod_dim: (l) =>
    l([
      [1.5, 0, 2],
      [2, 3, -1],
    ]).prod(1),
  prod_two_zeros: (l) => l([0, 2, 0]).prod(),
  prod_int: () =>
    T([
      [2, 3],
      [4, 5],
    ]).prod(0),
  any: () =>
    f([
      [0, 1],
      [0, 0],
    ]).any(1),
  any_all: () => f([0, NaN]).any(),
  all: () =>
    T([
      [1, 1],
      [0, 1],
    ]).all(0),
  all_bool_keepdim: () =>
    T([
      [true, true],
      [false, true],
    ]).all(1, true),
  isclose: () => isclose(f([1, 1 + 1e-6, NaN, Infinity, 2]), f([1, 1, NaN, Infinity, 2.1])),
  isclose_nan: () => isclose(f([NaN, 1]), f([NaN, 1]), { equalNan: true }),
  isclose_tol: () => isclose(f([1, 2]), f([1.05, 2.5]), { rtol: 0, atol: 0.1 }),
  allclose_true: () => allclose(f([1, 2]), f([1, 2 + 1e-7])),
  allclose_false: () => allclose(f([1, NaN]), f([1, NaN])),
  isclose_dtype_mismatch: () => isclose(f([1]), T([1], 'float64')),
  mm: (l) => mm(l(A), l(M)),
  mm_not_matrix: () => mm(f(V), f(A)),
  bmm: (l) =>
    bmm(
      l([A, B]),
      l([
        [[1], [2], [0.5]],
        [[-1], [0], [1]],
      ]),
    ),
  bmm_bad: () => bmm(f([A]), f([[[1, 2]]])),
  einsum_matmul: (l) => einsum('ij,jk->ik', l(A), l(M)),
  einsum_batch: (l) =>
    einsum(
      'bij,bjk->bik',
      l([A, B]),
      l([
        [[1], [2], [0.5]],
        [[-1], [0], [1]],
      ]),
    ),
  einsum_outer: (l) => einsum('i,j->ij', l([1, 2]), l([3, -1, 0.5])),
  einsum_dot: (l) => einsum('i,i->', l([1, 2, 3]), l([0.5, -1, 2])),
  einsum_transpose: (l) => einsum('ij->ji', l(A)),
  einsum_sum: (l) => einsum('ij->', l(A)),
  einsum_implicit: (l) => einsum('ij,jk', l(A), l([[1], [2], [3]])),
  einsum_bilinear: (l) =>
    einsum(
      'bi,oij,bj->bo',
      l(A),
      l([
        [
          [1, 0.5],
          [2, 0],
          [0, 1],
        ],
      ]),
      l([
        [1, 2],
        [3, -1],
      ]),
    ),
  einsum_three_way_elementwise: (l) => einsum('ij,ij->i', l(A), l(B)),
  einsum_bad_ndim: () => einsum('ijk,jk', f(A), f(A)),
  eye: () => eye(3),
  eye_rect: () => eye(2, 4),
  eye_int: () => eye(2, 2, { dtype: 'int64' }),
  linspace: () => linspace(0, 1, 7),
  linspace_neg: () => linspace(-2.5, 10, 6),
  linspace_one: () => linspace(3, 5, 1),
  linspace_f64: () => linspace(0, 1, 11, { dtype: 'float64' }),
  full_like: () => fullLike(T([[1, 2]]), 7),
  full_like_dtype: () => fullLike(T([[1, 2]]), 2.5, { dtype: 'float32' }),
  expand_as: (l) => l([[1], [2]]).expandAs(f(A)),
  view_as: (l) => l(V).viewAs(f(A)),
  type_as: () => f([1.7, -1.7]).typeAs(T([1])),
  add_: inplace((x) => x.add_(f([1, 2, 3]), 2)),
  sub_: inplace((x) => x.sub_(0.5)),
  mul_: inplace((x) => x.mul_(f([[2], [3]]))),
  div_: inplace((x) => x.div_(4)),
  fill_: inplace((x) => x.fill_(2.5)),
  zero_: inplace((x) => x.zero_()),
  clamp_: inplace((x) => x.clamp_(-1, 2)),
  copy_broadcast: inplace((x) => x.copy_(T([1, 2, 3]))),
  view_mul_: inplace((x) => x.narrow(1, 1, 2).mul_(10)),
  transposed_add_: inplace((x) => x.t().add_(f([1, 2]))),
  add_int_float_error: () => T([1, 2]).add_(0.5),
  add_broadcast_error: () => f([1, 2]).add_(f([[1], [2]])),
  leaf_in_place_error: (l) => l([1]).add_(1),
  f64_sin_cos: (l) => l(V, 'float64').sin().mul(l(V, 'float64').cos()),
  f64_cat_flip: (l) => cat([l(A, 'float64'), l(B, 'float64')], 1).flip(1),
  f64_var_std: (l) => l(A, 'float64').var(1).add(l(A, 'float64').std(0).sum()),
  f64_logsumexp: (l) => logsumexp(l(A, 'float64'), 0),
  f64_norm: (l) => norm(l(A, 'float64'), 2, 1),
  f64_cumsum: (l) => cumsum(l(A, 'float64'), 1),
  f64_einsum: (l) => einsum('ij,kj->ik', l(A, 'float64'), l(B, 'float64')),
  f64_where_gather: (l) =>
    gather(
      where(T([true, false, true]), l(A, 'float64'), l(B, 'float64')),
      1,
      T([
        [2, 1],
        [0, 0],
      ]),
    ),
  f64_prod: (l) =>
    l(
      [
        [1.5, -2.0],
        [0.5, 4.0],
      ],
      'float64',
    ).prod(0),
  f64_amax: (l) => l(A, 'float64').amax(0),
  empty_cat: () => cat([zeros([0, 3]), f(A)]),
  empty_flip: () => flip(zeros([0, 3]), [0]),
  empty_sort: () => sort(zeros([2, 0])),
  empty_cumsum: () => cumsum(zeros([0]), 0),
  empty_var: () => zeros([0]).var(),
  empty_amax: () => zeros([0, 3]).amax(1),
  empty_amax_all: () => zeros([0]).amax(),
  empty_logsumexp: () => logsumexp(zeros([2, 0]), 1),
  empty_prod: () => zeros([2, 0]).prod(1),
  empty_any_all: () => cat([zeros([0]).any().reshape(1), zeros([0]).all().reshape(1)]),
  empty_norm: () => zeros([0]).norm(),
  empty_einsum: () => einsum('ij,jk->ik', zeros([2, 0]), zeros([0, 3])),
  empty_tril: () => tril(zeros([0, 3])),
  empty_topk: () => topk(zeros([3]), 0),
  nan_sort_topk: (l) => topk(l([1, NaN, 3, -Infinity, Infinity]), 3),
  nan_cumsum: (l) => cumsum(l([1, NaN, 2]), 0),
  nan_var: (l) => l([1, NaN, 2]).var(),
  nan_logsumexp: (l) => logsumexp(l([1, NaN]), 0),
  nan_norm: (l) => norm(l([3, NaN])),
  inf_logsumexp: () => logsumexp(f([Infinity, 1]), 0),
  nan_prod: (l) => l([2, NaN, 0]).prod(),
  odd_shape_repeat_roll: (l) => roll(l([[[1, 2, 3]]]).repeat(2, 3, 1), [1, 2], [0, 2]),
  uniform_: () => {
    manualSeed(0);
    return Tensor.empty([5]).uniform_(-2, 3);
  },
  normal_: () => {
    manualSeed(0);
    manualSeed(0);
    f([0, 0, 0, 0, 0]).uniform_();
    manualSeed(0);
    Tensor.empty([5]).uniform_(-2, 3);
    return Tensor.empty([5]).normal_(1.5, 0.5);
  },
};

/** torchlit's words where they differ from PyTorch's (which name no tensor or no fix). */
const ERRORS: Record<string, RegExp> = {
  roll_mismatch: /shifts and dimensions must align\. shifts: 2, dims: 1/,
  tril_1d: /tril: input tensor must have at least 2 dimensions/,
  std_int: /std and var only support floating point inputs, got int64/,
  norm_int: /norm\(\): input dtype should be floating point, got int64/,
  isclose_dtype_mismatch: /isclose: float32 did not match float64/,
  gather_float_index: /gather\(\): Expected dtype int64 for index, got float32/,
  where_float_cond: /where expected condition to be a boolean tensor, but got a tensor with dtype float32/,
  add_int_float_error: /result type Float can't be cast to the desired output type int64/,
  leaf_in_place_error: /a leaf Variable that requires grad is being used in an in-place operation/,
};

const decode = decodeValue;
const weights = gradientWeights;

describe('tensor ops against PyTorch 1.13', () => {
  it('every fixture case has a torchlit expression and the other way round', () => {
    assert.deepEqual(Object.keys(run).sort(), Object.keys(cases).sort());
  });

  for (const [name, expected] of Object.entries(cases)) {
    it(name, () => {
      const leaves: Tensor[] = [];
      const leaf: Leaf = (values, dtype = 'float32') => {
        const t = tensor(values, { dtype, requiresGrad: true });
        leaves.push(t);
        return t;
      };
      if ('error' in expected) {
        const words = ERRORS[name] ?? new RegExp(expected.error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        assert.throws(() => run[name](leaf), words);
        return;
      }
      const result = run[name](leaf);
      if ('bool' in expected) {
        assert.equal(result, expected.bool);
        return;
      }
      const outs = Array.isArray(result) ? result : [result as Tensor];
      assert.equal(outs.length, expected.outputs.length, 'number of results');
      outs.forEach((o, i) => {
        const e = expected.outputs[i];
        assert.equal(o.dtype, e.dtype, `dtype of result ${i}`);
        assert.deepEqual([...o.shape], e.shape, `shape of result ${i}`);
        assertClose(o.toArray(), e.values.map(decode), 1e-5, 1e-6, `values of result ${i}`);
      });
      if (expected.grads) {
        const floats = outs.filter((o) => o.requiresGrad);
        if (floats.length) {
          const loss = floats.map((o) => o.mul(weights(o)).sum()).reduce((a, b) => a.add(b));
          loss.backward();
        }
        expected.grads.forEach((g, i) => {
          if (g === null) assert.equal(leaves[i].grad, null, `input ${i} gets no gradient`);
          else assertClose(leaves[i].grad!.toArray(), g.map(decode), 1e-5, 1e-6, `gradient of input ${i}`);
        });
      }
    });
  }

  it('in-place ops refuse a tensor inside a graph, and work on a leaf under noGrad', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    assert.throws(
      () => w.mul(2).add_(1),
      /not supported: in-place operations on a tensor that is part of an autograd graph/,
    );
    noGrad(() => w.sub_(w.mul(0.5)));
    assert.deepEqual(w.toArray(), [0.5, 1]);
  });

  it('masked_fill refuses a mask that is not bool (PyTorch 1.13 silently ignores a float one)', () => {
    assert.throws(
      () => f(A).maskedFill(f([1, 0, 1]), 7),
      /masked_fill_ only supports boolean masks, but got mask with dtype float32/,
    );
  });
});
