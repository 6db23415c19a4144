import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualSeed, models, nn, randn, type Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';

describe('Module.apply, requiresGrad_, getSubmodule, addModule and registerForwardHook', () => {
  it('apply visits children before their parent, as PyTorch does', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Sequential(new nn.ReLU(), new nn.Linear(3, 1)));
    const seen: string[] = [];
    assert.equal(
      model.apply((m) => seen.push(m.constructor.name)),
      model,
    );
    assert.deepEqual(seen, ['Linear', 'ReLU', 'Linear', 'Sequential', 'Sequential']);
    model.apply((m) => {
      if (m instanceof nn.Linear) nn.init.zeros_(m.weight);
    });
    assert.ok(
      model
        .parameters()
        .filter((p) => p.ndim === 2)
        .every((p) => p.toArray().every((v) => v === 0)),
    );
  });

  it('requiresGrad_(false) freezes every parameter; a frozen layer gets no gradient', () => {
    manualSeed(0);
    const model = new models.ResNet8();
    model.layer1.requiresGrad_(false);
    model
      .forward(randn([2, 1, 28, 28]))
      .sum()
      .backward();
    assert.ok(model.layer1.parameters().every((p) => !p.requiresGrad && p.grad === null));
    assert.ok(model.fc.weight.grad !== null);
  });

  it('getSubmodule follows a dotted path and names the missing part', () => {
    const model = new models.ResNet8();
    assert.equal(model.getSubmodule('layer2.downsample.0'), model.layer2.downsample![0]);
    assert.equal(model.getSubmodule(''), model);
    assert.throws(
      () => model.getSubmodule('layer2.conv9'),
      /BasicBlock has no attribute `conv9` \(looking for 'layer2.conv9'\)/,
    );
  });

  it('addModule registers a child under a name; bad names are refused', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2));
    m.addModule('head', new nn.Linear(2, 1));
    assert.deepEqual(
      [...m.namedParameters()].map(([k]) => k),
      ['0.weight', '0.bias', 'head.weight', 'head.bias'],
    );
    assert.throws(() => m.addModule('a.b', new nn.ReLU()), /module name can't contain "\."/);
    assert.throws(() => m.addModule('', new nn.ReLU()), /can't be empty/);
    assert.throws(() => m.addModule('training', new nn.ReLU()), /attribute 'training' already exists/);
  });

  it('registerForwardHook sees every forward (the feature maps of a layer), may replace the output, and is removable', () => {
    manualSeed(0);
    const model = new models.Net();
    const maps: Tensor[] = [];
    const handle = model.conv1.registerForwardHook((_m, inputs, output) => {
      assert.equal(inputs.length, 1);
      maps.push(output);
    });
    model.eval();
    const x = randn([2, 1, 28, 28]);
    const before = model.forward(x).toArray();
    assert.deepEqual([...maps[0].shape], [2, 10, 24, 24]);
    const zeroing = model.fc2.registerForwardHook((_m, _i, out) => out.mul(0));
    // Net ends in log_softmax: zeroed logits give log(1/10) for every class.
    assertClose(model.forward(x).toArray(), new Array(20).fill(-Math.log(10)), 1e-6, 1e-6);
    zeroing.remove();
    handle.remove();
    assert.deepEqual(model.forward(x).toArray(), before, 'without the hook, the output as before');
    assert.equal(maps.length, 2, 'a removed hook no longer runs');
    assert.ok(!Object.keys(model.conv1).includes('forward'), 'the wrapped forward is not a field');
  });
});
