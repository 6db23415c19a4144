import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { arange, full, ones, tensor, Tensor, zeros } from '../src/index.js';

describe('tensor creation and dtypes', () => {
  it('infers dtype and shape from nested arrays', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    assert.equal(a.dtype, 'int64');
    assert.deepEqual(a.shape, [2, 2]);
    assert.equal(tensor([0.5]).dtype, 'float32');
    assert.equal(tensor([true, false]).dtype, 'bool');
    assert.throws(() => tensor([[1, 2], [3]]), /rectangular|length 2/);
  });

  it('zeros, ones, full, arange', () => {
    assert.deepEqual(zeros([2]).toArray(), [0, 0]);
    assert.deepEqual(ones([1, 2]).tolist(), [[1, 1]]);
    assert.deepEqual(full([2], 7).toArray(), [7, 7]);
    assert.deepEqual(arange(1, 7, 2).toArray(), [1, 3, 5]);
    assert.deepEqual(arange(3).toArray(), [0, 1, 2]);
  });

  it('numel, dim, size, item', () => {
    const t = zeros([2, 3, 4]);
    assert.equal(t.numel(), 24);
    assert.equal(t.dim(), 3);
    assert.equal(t.size(-1), 4);
    assert.deepEqual([...t.size()], [2, 3, 4]);
    assert.equal(String(t.size()), 'torch.Size([2, 3, 4])');
    assert.equal(inspect(zeros([1, 28, 28]).size()), 'torch.Size([1, 28, 28])');
    assert.equal(tensor([[5]]).item(), 5);
    assert.throws(() => t.item(), /a Tensor with 24 elements cannot be converted/);
  });

  it('dtype conversions truncate toward zero as PyTorch', () => {
    assert.deepEqual(tensor([1.7, -1.7]).long().toArray(), [1, -1]);
    assert.equal(tensor([1, 2]).float().dtype, 'float32');
    assert.deepEqual(tensor([0, 2.5]).to('bool').toArray(), [0, 1]);
  });
});

describe('views and shapes', () => {
  it('view with -1 shares storage', () => {
    const a = arange(12).float();
    const v = a.view(3, -1);
    assert.deepEqual(v.shape, [3, 4]);
    v.data[0] = 100;
    assert.equal(a.toArray()[0], 100);
    assert.throws(() => a.view(5, -1), /shape '\[5, -1\]' is invalid for input of size 12/);
    assert.throws(() => a.view(-1, -1), /only one dimension can be inferred/);
  });

  it('view of a non-contiguous tensor fails with a hint; reshape copies', () => {
    const t = arange(6).view(2, 3).t();
    assert.equal(t.isContiguous(), false);
    assert.throws(() => t.view(6), /Use \.reshape/);
    assert.deepEqual(t.reshape(6).toArray(), [0, 3, 1, 4, 2, 5]);
    assert.deepEqual(t.contiguous().toArray(), [0, 3, 1, 4, 2, 5]);
  });

  it('permute, transpose, unsqueeze, squeeze, flatten', () => {
    const t = arange(24).view(2, 3, 4);
    assert.deepEqual(t.permute(2, 0, 1).shape, [4, 2, 3]);
    assert.deepEqual(t.permute(2, 0, 1).toArray().slice(0, 6), [0, 4, 8, 12, 16, 20]);
    assert.deepEqual(t.transpose(0, 2).shape, [4, 3, 2]);
    assert.deepEqual(t.unsqueeze(1).shape, [2, 1, 3, 4]);
    assert.deepEqual(t.unsqueeze(-1).shape, [2, 3, 4, 1]);
    assert.deepEqual(zeros([1, 3, 1]).squeeze().shape, [3]);
    assert.deepEqual(zeros([1, 3, 1]).squeeze(0).shape, [3, 1]);
    assert.deepEqual(t.flatten(1).shape, [2, 12]);
    assert.deepEqual(t.flatten().shape, [24]);
    assert.throws(() => t.permute(0, 1), /number of dims/);
    assert.throws(() => t.transpose(0, 3), /Dimension out of range/);
  });

  it('slices rows, selects rows by index, selects one row', () => {
    const t = arange(12).view(4, 3);
    assert.deepEqual(t.slice(1, 3).tolist(), [
      [3, 4, 5],
      [6, 7, 8],
    ]);
    assert.deepEqual(t.slice(-1).tolist(), [[9, 10, 11]]);
    assert.deepEqual(t.indexSelect(0, tensor([3, 0])).tolist(), [
      [9, 10, 11],
      [0, 1, 2],
    ]);
    assert.deepEqual(t.select(2).toArray(), [6, 7, 8]);
    assert.throws(() => t.indexSelect(0, tensor([4])), /index 4 is out of bounds for dimension 0 with size 4/);
    assert.throws(() => t.select(4), /out of bounds/);
  });
});

describe('elementwise, reductions and matmul', () => {
  it('broadcasts like NumPy and reports shapes that do not', () => {
    const a = tensor([[1], [2]], { dtype: 'float32' });
    const b = tensor([10, 20, 30], { dtype: 'float32' });
    assert.deepEqual(a.add(b).tolist(), [
      [11, 21, 31],
      [12, 22, 32],
    ]);
    assert.deepEqual(b.mul(2).sub(1).div(4).toArray(), [4.75, 9.75, 14.75]);
    assert.throws(
      () => zeros([2, 3]).add(zeros([4])),
      /The size of tensor a \(3\) must match the size of tensor b \(4\)/,
    );
  });

  it('math functions', () => {
    const x = tensor([-4, 1, 9], { dtype: 'float32' });
    assert.deepEqual(x.abs().sqrt().toArray(), [2, 1, 3]);
    assert.deepEqual(x.clamp(0, 5).toArray(), [0, 1, 5]);
    assert.deepEqual(x.pow(2).toArray(), [16, 1, 81]);
    assert.deepEqual(x.neg().toArray(), [4, -1, -9]);
    assert.deepEqual(tensor([0], { dtype: 'float32' }).exp().log().toArray(), [0]);
  });

  it('integer division gives floats, integer sums stay integers', () => {
    assert.equal(tensor([1, 2]).div(2).dtype, 'float32');
    assert.deepEqual(tensor([1, 2]).div(2).toArray(), [0.5, 1]);
    assert.equal(tensor([1, 2]).sum().dtype, 'int64');
    assert.equal(tensor([1, 2]).add(0.5).dtype, 'float32');
  });

  it('sum, mean, max, min, argmax over all or one dim', () => {
    const t = tensor(
      [
        [1, 5, 2],
        [7, 0, 3],
      ],
      { dtype: 'float32' },
    );
    assert.equal(t.sum().item(), 18);
    assert.deepEqual(t.sum(0).toArray(), [8, 5, 5]);
    assert.deepEqual(t.sum(1, true).shape, [2, 1]);
    assert.equal(t.mean().item(), 3);
    assert.deepEqual(t.mean(1).toArray(), [8 / 3, 10 / 3].map(Math.fround));
    assert.equal(t.max().item(), 7);
    const [values, indices] = t.max(1);
    assert.deepEqual(values.toArray(), [5, 7]);
    assert.deepEqual(indices.toArray(), [1, 0]);
    assert.deepEqual(t.min(0)[1].toArray(), [0, 1, 0]);
    assert.equal(t.argmax().item(), 3);
    assert.deepEqual(t.argmax(1, true).tolist(), [[1], [0]]);
    assert.throws(() => tensor([1, 2]).mean(), /mean\(\) needs a floating point tensor/);
  });

  it('argmax keeps the first of equal values', () => {
    assert.equal(tensor([3, 7, 7], { dtype: 'float32' }).argmax().item(), 1);
  });

  it('eq compares elementwise into a bool tensor', () => {
    const eq = tensor([1, 2, 3]).eq(tensor([1, 0, 3]));
    assert.equal(eq.dtype, 'bool');
    assert.deepEqual(eq.toArray(), [1, 0, 1]);
    assert.equal(eq.sum().item(), 2);
  });

  it('matmul over 1-d, 2-d and batched operands', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    );
    const b = tensor(
      [
        [5, 6],
        [7, 8],
      ],
      { dtype: 'float32' },
    );
    assert.deepEqual(a.matmul(b).tolist(), [
      [19, 22],
      [43, 50],
    ]);
    assert.deepEqual(a.matmul(tensor([1, 1], { dtype: 'float32' })).toArray(), [3, 7]);
    assert.equal(
      tensor([1, 2], { dtype: 'float32' })
        .matmul(tensor([3, 4], { dtype: 'float32' }))
        .item(),
      11,
    );
    const batch = a.unsqueeze(0).expand(3, 2, 2);
    assert.deepEqual(batch.matmul(b).shape, [3, 2, 2]);
    assert.throws(() => a.matmul(zeros([3, 2])), /mat1 and mat2 shapes cannot be multiplied \(2x2 and 3x2\)/);
  });

  it('bincount counts values', () => {
    assert.deepEqual(tensor([0, 2, 2, 5]).bincount().toArray(), [1, 0, 2, 0, 0, 1]);
    assert.deepEqual(tensor([1]).bincount(3).toArray(), [0, 1, 0]);
    assert.throws(() => tensor([0.5]).bincount(), /non-negative integral/);
  });

  it('clone copies, values of a view are a view', () => {
    const a = tensor([1, 2, 3], { dtype: 'float32' });
    const c = a.clone();
    c.data[0] = 9;
    assert.equal(a.toArray()[0], 1);
    assert.ok(a.slice(1).values() instanceof Float32Array);
    assert.ok(new Tensor(new Float32Array(4), [2, 2], 'float32').t().values().length === 4);
  });
});
