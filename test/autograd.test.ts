import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGradEnabled, noGrad, ones, tensor } from '../src/index.js';

const leaf = (v: number[]) => tensor(v, { dtype: 'float32', requiresGrad: true });

describe('autograd', () => {
  it('grad is null before the first backward', () => {
    assert.equal(leaf([1]).grad, null);
  });

  it('gradients accumulate across backward calls', () => {
    const x = leaf([1, 2]);
    x.mul(3).sum().backward();
    x.mul(x).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3 + 2, 3 + 4]);
  });

  it('a tensor used twice sums both paths', () => {
    const x = leaf([2]);
    const y = x.mul(x).add(x);
    y.backward();
    assert.deepEqual(x.grad!.toArray(), [5]);
  });

  it('backward with an explicit gradient for a non-scalar output', () => {
    const x = leaf([1, 2, 3]);
    x.mul(2).backward(tensor([1, 0.5, -1], { dtype: 'float32' }));
    assert.deepEqual(x.grad!.toArray(), [2, 1, -2]);
  });

  it('a non-scalar output needs an explicit gradient', () => {
    assert.throws(() => leaf([1, 2]).mul(2).backward(), /grad can be implicitly created only for scalar outputs/);
  });

  it('saved tensors are released: a second backward through the same graph fails', () => {
    const x = leaf([1, 2]);
    const y = x.exp().sum();
    y.backward();
    assert.throws(() => y.backward(), /backward through the graph a second time/);
  });

  it('retainGraph keeps the graph for another backward', () => {
    const x = leaf([1]);
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    assert.deepEqual(x.grad!.toArray(), [4]);
  });

  it('noGrad records nothing and restores the mode, even on error', () => {
    const x = leaf([1]);
    const y = noGrad(() => x.mul(2));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.throws(
      () =>
        noGrad(() => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(isGradEnabled(), true);
  });

  it('detach cuts the graph but shares storage', () => {
    const x = leaf([1, 2]);
    const d = x.mul(1).detach();
    assert.equal(d.requiresGrad, false);
    const view = x.detach();
    view.data[0] = 9;
    assert.equal(x.toArray()[0], 9);
  });

  it('a tensor without requiresGrad cannot be differentiated', () => {
    assert.throws(() => ones([1]).sum().backward(), /does not require grad/);
  });

  it('gradients flow only to tensors that require them', () => {
    const x = leaf([1, 2]);
    const c = tensor([3, 4], { dtype: 'float32' });
    x.mul(c).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3, 4]);
    assert.equal(c.grad, null);
  });

  it('non-leaf results carry grad_fn names', () => {
    const x = leaf([1]);
    assert.equal(x.add(1).gradFn!.name, 'AddBackward0');
    assert.equal(x.sum().gradFn!.name, 'SumBackward0');
    assert.equal(x.view(1, 1).matmul(tensor([[2]], { dtype: 'float32' })).gradFn!.name, 'MmBackward0');
    assert.equal(x.isLeaf, true);
    assert.equal(x.add(1).isLeaf, false);
  });

  it('integer tensors cannot require gradients', () => {
    assert.throws(() => tensor([1, 2], { requiresGrad: true }), /only floating point tensors can require gradients/);
  });
});
