import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { F, Generator, gradcheck, type GradcheckOptions, matmul, randn, rand, tensor, Tensor } from '../src/index.js';

const g = new Generator(1234);
const input = (shape: number[], opts: { positive?: boolean } = {}) => {
  const t = opts.positive
    ? rand(shape, { dtype: 'float64', generator: g }).add(0.5)
    : randn(shape, { dtype: 'float64', generator: g });
  return t.detach().requiresGrad_();
};
/** Values kept away from the kinks of relu, abs, clamp and max. */
const awayFromZero = (shape: number[]) => {
  const t = randn(shape, { dtype: 'float64', generator: g });
  return t.add(t.gt(0).double().sub(0.5).mul(0.4)).detach().requiresGrad_();
};
const labels = tensor([2, 0, 1]);

const cases: [string, (...xs: Tensor[]) => Tensor, () => Tensor[], GradcheckOptions?][] = [
  ['add with broadcasting', (a, b) => a.add(b), () => [input([3, 4]), input([4])]],
  ['sub with broadcasting', (a, b) => a.sub(b), () => [input([2, 1, 3]), input([4, 1])]],
  ['mul with broadcasting', (a, b) => a.mul(b), () => [input([3, 1]), input([1, 5])]],
  ['div', (a, b) => a.div(b), () => [input([3, 4]), input([3, 4], { positive: true })]],
  ['scalar operands', (a) => a.mul(3).add(1).sub(2).div(4), () => [input([5])]],
  ['neg', (a) => a.neg(), () => [input([4])]],
  ['exp', (a) => a.exp(), () => [input([2, 3])]],
  ['log', (a) => a.log(), () => [input([2, 3], { positive: true })]],
  ['pow by a number', (a) => a.pow(3), () => [input([4])]],
  ['pow by a tensor', (a, b) => a.pow(b), () => [input([4], { positive: true }), input([4])]],
  ['sqrt', (a) => a.sqrt(), () => [input([5], { positive: true })]],
  ['abs', (a) => a.abs(), () => [awayFromZero([6])]],
  ['clamp', (a) => a.clamp(-0.5, 0.5), () => [awayFromZero([8]).mul(1).detach().requiresGrad_()]],
  ['relu', (a) => a.relu(), () => [awayFromZero([3, 3])]],
  ['sum all', (a) => a.sum(), () => [input([3, 4])]],
  ['sum over a dim', (a) => a.sum(1), () => [input([3, 4, 2])]],
  ['sum keepdim', (a) => a.sum(0, true), () => [input([3, 4])]],
  ['mean all', (a) => a.mean(), () => [input([3, 4])]],
  ['mean over a dim', (a) => a.mean(-1, true), () => [input([2, 5])]],
  ['max all', (a) => a.max(), () => [input([7])]],
  ['max over a dim', (a) => a.max(1)[0], () => [input([3, 5])]],
  ['min over a dim', (a) => a.min(0, true)[0], () => [input([3, 5])]],
  ['matmul 2-d', (a, b) => matmul(a, b), () => [input([3, 4]), input([4, 2])]],
  ['matmul 1-d by 2-d', (a, b) => a.matmul(b), () => [input([4]), input([4, 3])]],
  ['matmul batched by 2-d', (a, b) => a.matmul(b), () => [input([2, 3, 4]), input([4, 2])]],
  ['matmul batched', (a, b) => a.matmul(b), () => [input([2, 3, 4]), input([2, 4, 5])]],
  ['view and reshape', (a) => a.view(2, 6).reshape(-1, 3).mul(2), () => [input([3, 4])]],
  ['permute then reshape', (a) => a.permute(2, 0, 1).reshape(4, 6), () => [input([2, 3, 4])]],
  ['transpose', (a) => a.transpose(0, 1).contiguous(), () => [input([3, 4])]],
  ['unsqueeze, squeeze, flatten', (a) => a.unsqueeze(1).squeeze(1).flatten(), () => [input([3, 4])]],
  ['expand', (a) => a.expand(3, 4), () => [input([1, 4])]],
  ['slice along dim 0', (a) => a.slice(1, 3), () => [input([4, 3])]],
  ['narrow along dim 1', (a) => a.narrow(1, 1, 2), () => [input([3, 4])]],
  ['select a row', (a) => a.select(-1), () => [input([3, 4])]],
  ['index select with repeats', (a) => a.indexSelect(0, [2, 0, 2]), () => [input([3, 4])]],
  ['index select along dim 1', (a) => a.indexSelect(1, [1, 1, 0]), () => [input([2, 3])]],
  ['clone', (a) => a.clone(), () => [input([3])]],
  ['linear', (x, w, b) => F.linear(x, w, b), () => [input([3, 5]), input([4, 5]), input([4])]],
  ['conv2d', (x, w, b) => F.conv2d(x, w, b), () => [input([2, 2, 6, 6]), input([3, 2, 3, 3]), input([3])]],
  [
    'conv2d with stride and padding',
    (x, w) => F.conv2d(x, w, null, { stride: 2, padding: 1 }),
    () => [input([1, 2, 7, 6]), input([2, 2, 3, 3])],
  ],
  [
    "conv2d padding 'same'",
    (x, w, b) => F.conv2d(x, w, b, { padding: 'same' }),
    () => [input([1, 1, 5, 5]), input([2, 1, 3, 3]), input([2])],
  ],
  [
    'conv2d rectangular kernel',
    (x, w) => F.conv2d(x, w, null, { stride: [1, 2], padding: [2, 0] }),
    () => [input([1, 2, 5, 7]), input([1, 2, 3, 2])],
  ],
  ['maxPool2d', (x) => F.maxPool2d(x, 2), () => [input([2, 2, 4, 6])]],
  [
    'maxPool2d overlapping with padding',
    (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }),
    () => [input([1, 2, 5, 5])],
  ],
  ['softmax', (x) => F.softmax(x, 1), () => [input([3, 4])]],
  ['logSoftmax over dim 0', (x) => F.logSoftmax(x, 0), () => [input([3, 4])]],
  ['nllLoss mean', (x) => F.nllLoss(x, labels), () => [input([3, 4])]],
  ['nllLoss sum', (x) => F.nllLoss(x, labels, { reduction: 'sum' }), () => [input([3, 4])]],
  ['nllLoss none', (x) => F.nllLoss(x, labels, { reduction: 'none' }), () => [input([3, 4])]],
  ['crossEntropy', (x) => F.crossEntropy(x, labels), () => [input([3, 4])]],
  // float32 rounding limits the finite difference, hence the wider step.
  ['float64 to float32 and back', (x) => x.float().mul(2).double(), () => [input([3])], { eps: 1e-2, atol: 1e-4 }],
];

describe('gradcheck: analytical gradients equal finite differences (float64)', () => {
  for (const [name, fn, make, opts] of cases) {
    it(name, () => {
      const r = gradcheck(fn, make(), opts);
      assert.ok(r.ok, `max error ${r.maxError} at input ${r.input}, element ${r.index}`);
    });
  }

  it('catches a wrong gradient', () => {
    const x = input([4]);
    // exp's output with its graph cut and re-attached through mul: d/dx (x * c) = c, not exp(x) + ...
    const wrong = (a: Tensor) => a.mul(a.detach());
    assert.equal(gradcheck(wrong, [x]).ok, false);
  });
});
