import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { F, manualSeed, models, nn, ones, randn, tensor, Tensor, zeros } from '../src/index.js';

class Tiny extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  act = new nn.ReLU();
  head = new nn.Sequential(new nn.Linear(3, 2, { bias: false }), new nn.Identity());
  forward(x: Tensor): Tensor {
    return this.head.forward(this.act.forward(this.fc1.forward(x)));
  }
}

describe('Module', () => {
  it('finds submodules and parameters in declaration order with dotted names', () => {
    const m = new Tiny();
    assert.deepEqual(
      [...m.namedParameters()].map(([k, p]) => [k, [...p.shape]]),
      [
        ['fc1.weight', [3, 4]],
        ['fc1.bias', [3]],
        ['head.0.weight', [2, 3]],
      ],
    );
    assert.deepEqual(
      [...m.namedChildren()].map(([k]) => k),
      ['fc1', 'act', 'head'],
    );
    assert.equal([...m.modules()].length, 6);
    assert.equal(m.parameters().length, 3);
  });

  it('assigning a new Parameter replaces the weight everywhere', () => {
    const fc = new nn.Linear(2, 1);
    fc.weight = new nn.Parameter(tensor([[2, 3]], { dtype: 'float32' }));
    fc.bias = new nn.Parameter(zeros([1]));
    assert.deepEqual(fc.forward(tensor([[1, 1]], { dtype: 'float32' })).toArray(), [5]);
    assert.equal(fc.parameters()[0], fc.weight);
  });

  it('train() and eval() reach every submodule', () => {
    const m = new models.Net();
    m.eval();
    assert.ok([...m.modules()].every((x) => !x.training));
    m.train();
    assert.ok([...m.modules()].every((x) => x.training));
  });

  it('zeroGrad clears every parameter gradient', () => {
    const m = new Tiny();
    m.forward(ones([2, 4]))
      .sum()
      .backward();
    assert.ok(m.parameters().every((p) => p.grad !== null));
    m.zeroGrad();
    assert.ok(m.parameters().every((p) => p.grad === null));
  });

  it('stateDict shares storage and loadStateDict copies values in', () => {
    const a = new Tiny();
    const b = new Tiny();
    b.loadStateDict(a.stateDict());
    const x = randn([3, 4]);
    assert.deepEqual(b.forward(x).toArray(), a.forward(x).toArray());
    assert.equal(a.stateDict()['fc1.weight'].data, a.fc1.weight.data);
  });

  it('loadStateDict names every missing, unexpected and mis-shaped key, and changes nothing', () => {
    const m = new Tiny();
    const before = m.fc1.bias!.toArray();
    const sd = m.stateDict();
    const bad: Record<string, Tensor> = {
      'fc1.weight': zeros([3, 5]),
      'fc1.bias': zeros([3]),
      'extra.weight': zeros([1]),
    };
    assert.throws(
      () => m.loadStateDict(bad),
      (e: Error) => {
        assert.match(e.message, /^Error\(s\) in loading state_dict for Tiny:/);
        assert.match(e.message, /Missing key\(s\) in state_dict: "head\.0\.weight"/);
        assert.match(e.message, /Unexpected key\(s\) in state_dict: "extra\.weight"/);
        assert.match(
          e.message,
          /size mismatch for fc1\.weight: copying a param with shape torch\.Size\(\[3, 5\]\) from checkpoint, the shape in current model is torch\.Size\(\[3, 4\]\)/,
        );
        return true;
      },
    );
    assert.deepEqual(m.fc1.bias!.toArray(), before);
    const partial = { 'fc1.bias': zeros([3]) };
    const r = m.loadStateDict(partial, { strict: false });
    assert.deepEqual(r.missingKeys, ['fc1.weight', 'head.0.weight']);
    assert.deepEqual(m.fc1.bias!.toArray(), [0, 0, 0]);
    assert.ok(sd);
  });

  it('to(float64) converts every parameter', () => {
    const m = new Tiny().double();
    assert.ok(m.parameters().every((p) => p.dtype === 'float64'));
    assert.equal(m.forward(randn([1, 4], { dtype: 'float64' })).dtype, 'float64');
  });
});

describe('layers', () => {
  it('default initialisation has PyTorch bounds: weight and bias within 1/sqrt(fan_in)', () => {
    manualSeed(0);
    const fc = new nn.Linear(400, 300);
    const bound = 1 / Math.sqrt(400);
    const w = fc.weight.toArray();
    assert.ok(w.every((v) => Math.abs(v) <= bound));
    const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    assert.ok(Math.abs(std - bound / Math.sqrt(3)) < 0.01 * bound, `std ${std}`);
    assert.ok(fc.bias!.toArray().every((v) => Math.abs(v) <= bound));
  });

  it('Linear on a batch is one AddmmBackward0 node, as in PyTorch', () => {
    const fc = new nn.Linear(3, 2);
    assert.equal(fc.forward(randn([4, 3])).gradFn!.name, 'AddmmBackward0');
    assert.deepEqual(fc.forward(randn([5, 4, 3])).shape, [5, 4, 2]);
  });

  it('Linear without bias', () => {
    const fc = new nn.Linear(3, 2, { bias: false });
    assert.equal(fc.bias, null);
    assert.equal(fc.parameters().length, 1);
    assert.equal(fc.toString(), 'Linear(in_features=3, out_features=2, bias=False)');
  });

  it("Conv2d output shapes for stride, int/pair padding, 'same' and 'valid'", () => {
    const x = randn([2, 3, 10, 9]);
    assert.deepEqual(new nn.Conv2d(3, 4, 3).forward(x).shape, [2, 4, 8, 7]);
    assert.deepEqual(new nn.Conv2d(3, 4, 3, { padding: 'same' }).forward(x).shape, [2, 4, 10, 9]);
    assert.deepEqual(new nn.Conv2d(3, 4, 3, { padding: 'valid' }).forward(x).shape, [2, 4, 8, 7]);
    assert.deepEqual(new nn.Conv2d(3, 4, [3, 1], { stride: 2, padding: [1, 0] }).forward(x).shape, [2, 4, 5, 5]);
    assert.deepEqual(new nn.Conv2d(3, 4, 3).forward(randn([3, 10, 9])).shape, [4, 8, 7]);
    assert.equal(
      new nn.Conv2d(3, 4, 3, { bias: false, padding: 'same' }).toString(),
      'Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, bias=False)',
    );
  });

  it('Conv2d reports wrong channel counts and bad options', () => {
    assert.throws(
      () => new nn.Conv2d(1, 4, 3).forward(randn([2, 3, 8, 8])),
      /expects 1 input channels, but the input \[2, 3, 8, 8\] has 3/,
    );
    assert.throws(() => new nn.Conv2d(1, 4, 3, { padding: 'full' as 'same' }), /Invalid padding string 'full'/);
    assert.throws(
      () => new nn.Conv2d(1, 4, 3, { padding: 'same', stride: 2 }),
      /not supported for strided convolutions/,
    );
    assert.throws(() => new nn.Conv2d(1, 1, 5).forward(randn([1, 1, 3, 3])), /smaller than the kernel/);
  });

  it('MaxPool2d picks the window maximum', () => {
    const x = tensor(
      [
        [
          [
            [1, 2, 5, 0],
            [3, 4, 1, 1],
            [0, 0, 9, 8],
            [7, 0, 6, 6],
          ],
        ],
      ],
      { dtype: 'float32' },
    );
    assert.deepEqual(new nn.MaxPool2d(2).forward(x).tolist(), [
      [
        [
          [4, 5],
          [7, 9],
        ],
      ],
    ]);
  });

  it('Flatten keeps the batch dim; Linear checks its input width', () => {
    assert.deepEqual(new nn.Flatten().forward(zeros([5, 1, 28, 28])).shape, [5, 784]);
    assert.throws(() => new nn.Linear(10, 2).forward(zeros([3, 9])), /the last dim must be 10/);
  });

  it('Dropout zeroes about p of the inputs in training, scales the rest, and is the identity in eval', () => {
    manualSeed(0);
    const d = new nn.Dropout(0.3);
    const y = d.forward(ones([100000])).toArray();
    const dropped = y.filter((v) => v === 0).length / y.length;
    assert.ok(Math.abs(dropped - 0.3) < 0.01, `dropped ${dropped}`);
    assert.ok(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.7) < 1e-6));
    d.eval();
    assert.deepEqual(d.forward(ones([5])).toArray(), [1, 1, 1, 1, 1]);
    assert.throws(() => new nn.Dropout(1.5), /between 0 and 1/);
  });

  it('Dropout2d zeroes whole channels', () => {
    manualSeed(0);
    const y = new nn.Dropout2d(0.5).forward(ones([8, 16, 3, 3]));
    const v = y.values();
    let mixed = 0;
    for (let c = 0; c < 8 * 16; c++) {
      const plane = Array.from(v.subarray(c * 9, (c + 1) * 9));
      if (!plane.every((x) => x === plane[0])) mixed++;
    }
    assert.equal(mixed, 0);
    const zeroPlanes = y.sum(3).sum(2).eq(0).sum().item();
    assert.ok(zeroPlanes > 30 && zeroPlanes < 98, `${zeroPlanes} of 128 channels dropped`);
  });

  it('dropout gradients flow only through kept units', () => {
    manualSeed(1);
    const x = ones([1000], { requiresGrad: true });
    const y = F.dropout(x, 0.5, true);
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), y.toArray());
  });
});

describe('losses', () => {
  const logits = tensor(
    [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
    ],
    { dtype: 'float32' },
  );
  const target = tensor([0, 1]);

  it('crossEntropy equals nllLoss of logSoftmax for every reduction', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const a = F.crossEntropy(logits, target, { reduction });
      const b = F.nllLoss(F.logSoftmax(logits, 1), target, { reduction });
      assert.deepEqual(a.toArray(), b.toArray());
    }
    assert.deepEqual(F.crossEntropy(logits, target, { reduction: 'none' }).shape, [2]);
    assert.ok(Math.abs(F.crossEntropy(logits, target).item() - 0.3185) < 1e-4);
  });

  it('softmax rows sum to one', () => {
    const s = F.softmax(logits, 1).sum(1).toArray();
    s.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-6));
  });

  it('reports bad targets clearly', () => {
    assert.throws(() => F.nllLoss(logits, tensor([0, 3])), /Target 3 is out of bounds/);
    assert.throws(
      () => F.nllLoss(logits, tensor([0])),
      /nllLoss: class targets must have shape \[2\] for input \[2, 3\], got \[1\]/,
    );
    assert.throws(() => F.nllLoss(logits, tensor([0, 1], { dtype: 'float32' })), /integer class targets/);
    assert.throws(() => F.crossEntropy(logits, target, { reduction: 'avg' as 'mean' }), /reduction must be/);
  });
});
