import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { arange, F, full, stack, tensor, type DType, type NestedArray, type Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_edge_fixtures.py writes for each case: PyTorch's result and gradients, or its error. */
type Expected =
  | { values: (number | boolean | null)[]; dtype: DType; shape: number[]; grads?: ((number | null)[] | null)[] }
  | { error: string };

const cases = JSON.parse(readFileSync(`${fixtureDir}edges.json`, 'utf8')) as Record<string, Expected>;

/** A float32 leaf that requires grad, recorded so the test can compare its gradient. */
type Use = (values: NestedArray, dtype?: DType) => Tensor;

/** Each case as torchlit writes it, under the fixture's name. */
const run: Record<string, (leaf: Use) => Tensor> = {
  stack_grad: (leaf) => stack([leaf([1.5, -2, 3]).mul(2), tensor([4, 5, 6], { dtype: 'float32' })], 1),
  stack_grad_dim0: (leaf) => stack([leaf([1, 2]), leaf([3, 4])]),
  max_all_nan_grad: (leaf) => leaf([1, NaN, 3, NaN]).max(),
  min_all_nan_grad: (leaf) => leaf([1, NaN, -3]).min(),
  max_all_ties_grad: (leaf) => leaf([3, 1, 3]).max(),
  pow_grad_base_zero: (leaf) => leaf([0, 2.5, 0, -1.5]).pow(leaf([2.5, 3.5, 0, 2])),
  pow_grad_scalar_exponent_zero: (leaf) => leaf([0, 2]).pow(0),
  pow_grad_base_zero_scalar: (leaf) => leaf([0, 2]).pow(2),
  max_0d_dim0: (leaf) => leaf(3.5).max(0)[0],
  min_0d_dim_neg1: (leaf) => leaf(3.5).min(-1)[0],
  argmax_0d: () => tensor(3.5).argmax(0),
  sum_0d_dim_neg1: (leaf) => leaf(3.5).sum(-1),
  mean_0d_dim0_keepdim: (leaf) => leaf(3.5).mean(0, true),
  mean_0d_dim0: (leaf) => leaf(3.5).mean(0),
  view_transposed: () => arange(12).reshape(4, 3).t().view(3, 2, 2),
  view_transposed_split_last: () =>
    arange(24, undefined, 1, { dtype: 'float32' }).reshape(2, 3, 4).transpose(1, 2).view(2, 2, 2, 3),
  view_transposed_merge_bad: () => arange(12).reshape(4, 3).t().view(12),
  promote_f32_with_f64_0d: () => tensor([1, 2], { dtype: 'float32' }).add(tensor(1.5, { dtype: 'float64' })),
  promote_f64_with_f32_0d: () => tensor([1, 2], { dtype: 'float64' }).add(tensor(1.5)),
  promote_int_with_f64_0d: () => tensor([1, 2]).add(tensor(1.5, { dtype: 'float64' })),
  promote_u8_with_int_0d: () => tensor([200, 3], { dtype: 'uint8' }).add(tensor(300)),
  promote_0d_with_0d: () => tensor(1, { dtype: 'float32' }).add(tensor(1.5, { dtype: 'float64' })),
  promote_int_with_float_scalar: () => tensor([1, 2]).mul(1.5),
  promote_u8_with_float_tensor: () => tensor([1, 2], { dtype: 'uint8' }).mul(tensor([1.5, 2])),
  u8_add_wraps: () => tensor([200, 100], { dtype: 'uint8' }).add(300),
  u8_sub_wraps: () => tensor([3, 100], { dtype: 'uint8' }).sub(5),
  u8_mul_wraps: () => tensor([20, 3], { dtype: 'uint8' }).mul(tensor([20, 3], { dtype: 'uint8' })),
  bool_add_bool: () => tensor([true, true, false]).add(tensor([true, false, false])),
  bool_mul_bool: () => tensor([true, true, false]).mul(tensor([true, false, false])),
  to_bool: () => tensor([2, NaN, 0, -0, -1.5]).to('bool'),
  to_bool_from_int: () => tensor([2, 0, -3]).to('bool'),
  int64_from_fractions: () => tensor([1.7, -1.7, 2.5, -0.5], { dtype: 'int64' }),
  full_int64_fraction: () => full([2], 7.9, { dtype: 'int64' }),
  full_infers_int64: () => full([2], 2),
  full_infers_float: () => full([2], 2.5),
  full_infers_bool: () => full([2], true),
  float_to_int64_truncates: () => tensor([1.9, -1.9, 2.5]).to('int64'),
  float_to_uint8_wraps: () => tensor([1.9, 255.5, 3]).to('uint8'),
  relu_nan: (leaf) => F.relu(leaf([NaN, -1, 2, 0])),
  relu_method_nan: () => tensor([NaN, -1]).relu(),
  clamp_nan: () => tensor([NaN, -1, 5]).clamp(0, 2),
  matmul_int64: () =>
    tensor([
      [1, 2],
      [3, 4],
    ]).matmul(tensor([[1], [2]])),
  matmul_int64_vector: () => tensor([1, 2, 3]).matmul(tensor([4, 5, 6])),
  matmul_mixed_error: () => tensor([[1, 2]]).matmul(tensor([[1.5], [2]])),
  bool_sum: () => tensor([true, false, true]).sum(),
  bool_mean_error: () => tensor([true, false]).mean(),
  bool_neg_error: () => tensor([true, false]).neg(),
};

/** torchlit's error for each error case: PyTorch's words where they say what to do. */
const ERRORS: Record<string, RegExp> = {
  view_transposed_merge_bad:
    /view size \[12\] is not compatible with input tensor's size \[3, 4\] and stride \[1, 3\].*Use \.reshape/,
  matmul_mixed_error: /matmul: expected both operands to have the same dtype, got int64 and float32/,
  bool_mean_error: /mean\(\) needs a floating point tensor, got bool/,
  bool_neg_error: /Negation, the `-` operator, on a bool tensor is not supported/,
};

const nan = (v: (number | boolean | null)[]) => v.map((x) => (x === null ? NaN : Number(x)));

describe('edge cases against PyTorch', () => {
  it('every fixture case has a torchlit expression', () => {
    assert.deepEqual(Object.keys(run).sort(), Object.keys(cases).sort());
  });

  for (const [name, want] of Object.entries(cases)) {
    it(name, () => {
      const leaves: Tensor[] = [];
      const leaf: Use = (values, dtype = 'float32') => {
        const t = tensor(values, { dtype }).requiresGrad_();
        leaves.push(t);
        return t;
      };
      if ('error' in want) {
        assert.ok(ERRORS[name], `PyTorch raises "${want.error}": give torchlit's message for ${name} in ERRORS`);
        assert.throws(() => run[name](leaf), ERRORS[name]);
        return;
      }
      const out = run[name](leaf);
      assert.equal(out.dtype, want.dtype, 'dtype');
      assert.deepEqual([...out.shape], want.shape, 'shape');
      assertClose(out.toArray(), nan(want.values), 1e-6, 1e-6, 'values');
      if (want.grads) {
        (out.ndim === 0 ? out : out.sum()).backward();
        want.grads.forEach((g, i) => assertClose(leaves[i].grad!, nan(g!), 1e-6, 1e-6, `gradient ${i}`));
      }
    });
  }
});
