import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autograd, tensor, type Tensor } from '../src/index.js';

const leaf = (v: number[]) => tensor(v, { dtype: 'float32', requiresGrad: true });

describe('autograd.grad, retainGrad and registerHook', () => {
  it('autograd.grad returns d(sum x^3)/dx = 3x^2 and leaves .grad alone', () => {
    const x = leaf([1, -2, 0.5]);
    const [g] = autograd.grad(x.pow(3).sum(), x);
    assert.deepEqual(g!.toArray(), [3, 12, 0.75]);
    assert.equal(x.grad, null);
  });

  it('autograd.grad with respect to an intermediate tensor, several inputs and given output gradients', () => {
    const x = leaf([1, 2]);
    const w = leaf([3, 4]);
    const h = x.mul(w);
    const y = h.mul(h);
    const [gh, gx, gw] = autograd.grad(y, [h, x, w], { gradOutputs: tensor([1, 0.5], { dtype: 'float32' }) });
    assert.deepEqual(gh!.toArray(), [6, 8]); // 2h * [1, 0.5]
    assert.deepEqual(gx!.toArray(), [18, 32]); // 2h w
    assert.deepEqual(gw!.toArray(), [6, 16]); // 2h x
  });

  it('autograd.grad names an unused input unless allowUnused, and refuses a non-scalar output without gradients', () => {
    const x = leaf([1]);
    const z = leaf([2]);
    assert.throws(() => autograd.grad(x.mul(2).sum(), [x, z]), /input 1\) appears to not have been used in the graph/);
    assert.deepEqual(
      autograd.grad(x.mul(2).sum(), [x, z], { allowUnused: true }).map((g) => g?.toArray() ?? null),
      [[2], null],
    );
    assert.throws(
      () => autograd.grad(x.mul(leaf([1, 2])), x),
      /grad can be implicitly created only for scalar outputs/,
    );
    assert.throws(() => autograd.grad(x.sum(), x, { createGraph: true }), /not supported: createGraph/);
  });

  it('retainGrad keeps an intermediate gradient, accumulating over backward calls', () => {
    const x = leaf([1, 2]);
    const h = x.mul(3);
    h.retainGrad();
    const y = h.mul(h).sum();
    y.backward(undefined, { retainGraph: true });
    assert.deepEqual(h.grad!.toArray(), [6, 12]);
    y.backward();
    assert.deepEqual(h.grad!.toArray(), [12, 24]);
    assert.deepEqual(x.grad!.toArray(), [36, 72]);
  });

  it('registerHook changes the gradient flowing on, on leaves and intermediates, until removed', () => {
    const x = leaf([1, 2]);
    const h = x.mul(2);
    const seen: number[][] = [];
    const handle = h.registerHook((g: Tensor) => {
      seen.push(g.toArray());
      return g.mul(10);
    });
    const leafHandle = x.registerHook((g: Tensor) => g.add(1));
    h.sum().backward();
    assert.deepEqual(seen, [[1, 1]]);
    assert.deepEqual(x.grad!.toArray(), [21, 21]);
    handle.remove();
    leafHandle.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [2, 2]);
    assert.throws(() => tensor([1]).registerHook(() => {}), /doesn't require gradient/);
  });
});
