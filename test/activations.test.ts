import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { F, nn, tensor, type DType, type Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_activation_fixtures.py writes: PyTorch's output and gradient of its sum. */
interface ActivationCase {
  fn: string;
  options: Record<string, number>;
  dtype: DType;
  input: (number | null)[];
  output: (number | null)[];
  grad: (number | null)[];
}

const cases = JSON.parse(readFileSync(`${fixtureDir}activations.json`, 'utf8')) as ActivationCase[];
const nan = (v: (number | null)[]) => v.map((x) => x ?? NaN);

/** Each PyTorch function as torchlit calls it, its keyword arguments in PyTorch's order. */
const RUN: Record<string, (x: Tensor, o: Record<string, number>) => Tensor> = {
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => F.tanh(x),
  leaky_relu: (x, o) => F.leakyRelu(x, o.negative_slope),
  elu: (x, o) => F.elu(x, o.alpha),
  silu: (x) => F.silu(x),
  softplus: (x, o) => F.softplus(x, o.beta, o.threshold),
  hardtanh: (x, o) => F.hardtanh(x, o.min_val, o.max_val),
  relu6: (x) => F.relu6(x),
  hardsigmoid: (x) => F.hardsigmoid(x),
  hardswish: (x) => F.hardswish(x),
};

describe('activations against PyTorch, values and gradients', () => {
  for (const c of cases) {
    it(`${c.fn} ${JSON.stringify(c.options)} ${c.dtype}`, () => {
      const x = tensor(nan(c.input), { dtype: c.dtype }).requiresGrad_();
      const y = RUN[c.fn](x, c.options);
      assert.equal(y.dtype, c.dtype);
      const [rtol, atol] = c.dtype === 'float64' ? [1e-12, 1e-14] : [2e-6, 3e-7];
      assertClose(y, nan(c.output), rtol, atol, 'output');
      y.sum().backward();
      assertClose(x.grad!, nan(c.grad), rtol, atol, 'gradient');
    });
  }

  it('the activation modules print as PyTorch', () => {
    const printed = [
      new nn.Sigmoid(),
      new nn.Tanh(),
      new nn.LeakyReLU(),
      new nn.ELU(),
      new nn.SiLU(),
      new nn.Softplus(),
      new nn.Hardtanh(),
      new nn.ReLU6(),
      new nn.Hardsigmoid(),
      new nn.Hardswish(),
      new nn.Softmax(1),
      new nn.LogSoftmax(-1),
    ].map((m) => m.toString());
    assert.deepEqual(printed, [
      'Sigmoid()',
      'Tanh()',
      'LeakyReLU(negative_slope=0.01)',
      'ELU(alpha=1.0)',
      'SiLU()',
      'Softplus(beta=1, threshold=20)',
      'Hardtanh(min_val=-1.0, max_val=1.0)',
      'ReLU6()',
      'Hardsigmoid()',
      'Hardswish()',
      'Softmax(dim=1)',
      'LogSoftmax(dim=-1)',
    ]);
  });
});
