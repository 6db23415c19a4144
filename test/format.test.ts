import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { formatSize, models, tensor, type DType } from '../src/index.js';
import { loadReference } from './helpers/fixtures.js';

const prints = loadReference().prints;

describe('printing', () => {
  for (const [name, p] of Object.entries(prints)) {
    it(`${name} prints as PyTorch`, () => {
      const t = tensor(p.values, { dtype: p.dtype as DType, requiresGrad: p.requires_grad }).reshape(...p.shape);
      const shown = name === 'grad_fn' ? t.mul(2) : t.requiresGrad ? t.detach().requiresGrad_() : t;
      assert.equal(shown.toString(), p.text);
    });
  }

  it('console.log shows the PyTorch form', () => {
    assert.equal(inspect(tensor([1, 2])), 'tensor([1, 2])');
    assert.match(inspect(new models.Net()), /^Net\(\n {2}\(conv1\): Conv2d\(1, 10/);
  });

  it('parameters print with their header', () => {
    const bias = new models.Net().fc2.bias!;
    assert.match(bias.toString(), /^Parameter containing:\ntensor\(\[.*requires_grad=True\)$/s);
  });

  it('shapes print as torch.Size', () => {
    assert.equal(formatSize(tensor([[1, 2, 3]]).shape), 'torch.Size([1, 3])');
  });
});
