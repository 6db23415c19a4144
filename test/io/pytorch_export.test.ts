// PyTorch export: model.py for the zoo and the export test models equals the files that Debian's
// PyTorch loaded the state dicts into and ran within 1e-5 of torchlit (bench/pytorch_export.ts
// wrote test/fixtures/pytorch_export after checking them); the files are written and read back;
// what cannot be written is refused, naming the call and the module, with nothing written.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { F, io, manualSeed, models, nn, randn, full, type Tensor } from '../../src/index.js';
import type { Module } from '../../src/nn/module.js';
import { tempDir } from '../helpers/data.js';
import { assertUsageError, torchlit } from '../helpers/cli.js';
import { Functional, layerZoo, Cumulative } from '../helpers/export_models.js';

const fixture = (name: string) => readFileSync(join('test', 'fixtures', 'pytorch_export', `${name}.py`), 'utf8');

describe('io.pytorchSource / io.exportPytorch', () => {
  const cases: Record<string, [() => Module, number[]]> = {
    ...Object.fromEntries(
      Object.keys(models.zoo).map((name) => [name, [() => models.zoo[name].create(1, 10), [1, 28, 28]]]),
    ),
    'layer-zoo': [layerZoo, [2, 6, 5]],
    functional: [() => new Functional(), [3, 6, 10]],
  };
  for (const [name, [create, shape]] of Object.entries(cases))
    it(`${name}: model.py is the one PyTorch ran within 1e-5`, () => {
      manualSeed(1);
      assert.equal(io.pytorchSource(create(), randn([2, ...shape])), fixture(name));
    });

  it('writes model.py, model.safetensors and safetensors_fallback.py; the state dict reads back', () => {
    manualSeed(2);
    const model = models.zoo['bn-cnn'].create(1, 10);
    const dir = join(tempDir('pytorch-export-'), 'out');
    io.exportPytorch(model, randn([1, 1, 28, 28]), dir, { className: 'MyCNN' });
    assert.match(readFileSync(join(dir, 'model.py'), 'utf8'), /^class MyCNN\(nn\.Module\):$/m);
    assert.match(readFileSync(join(dir, 'safetensors_fallback.py'), 'utf8'), /^def load_file\(path, device='cpu'\):$/m);
    const back = models.zoo['bn-cnn'].create(1, 10);
    io.loadModel(back, join(dir, 'model.safetensors'));
    const want = model.stateDict();
    for (const [k, t] of Object.entries(back.stateDict())) assert.deepEqual(t.toArray(), want[k].toArray(), k);
  });

  it('a class of the user’s named like a torch.nn one is written out as the user’s', () => {
    class Linear extends nn.Module {
      fc = new nn.Linear(4, 2);
      forward(t: Tensor): Tensor {
        return F.relu(this.fc.forward(t));
      }
    }
    const source = io.pytorchSource(new nn.Sequential(new Linear()), randn([2, 4]));
    assert.match(source, /^class Model\(nn\.Module\):$/m);
    assert.match(source, /^ {8}getattr\(self, '0'\)\.fc = nn\.Linear\(in_features=4, out_features=2, bias=True\)$/m);
    assert.match(source, /^ {8}x = getattr\(self, '0'\)\.fc\(x\)\n {8}x = F\.relu\(x\)$/m);
  });

  it('refuses what it cannot write, naming the call and the module path, and writes nothing', () => {
    const x = randn([2, 1, 8, 8]);
    const dir = join(tempDir('pytorch-refused-'), 'out');
    assert.throws(
      () => io.exportPytorch(new nn.Sequential(new nn.Identity(), new nn.Sequential(new Cumulative())), x, dir),
      /exportPytorch: not supported: 1\.0 \(Cumulative\): cumsum \(CumsumBackward0\) has no PyTorch export yet/,
    );
    assert.equal(existsSync(dir), false, 'nothing written');
    class BigConstant extends nn.Module {
      forward(t: Tensor): Tensor {
        return F.relu(t).add(full([8, 8], 2));
      }
    }
    assert.throws(
      () => io.pytorchSource(new BigConstant(), x),
      /BigConstant\.forward: a constant tensor of shape \[8, 8\] made in the forward; make it a buffer/,
    );
    class InPlace extends nn.Module {
      forward(t: Tensor): Tensor {
        return F.relu(t).mul_(2);
      }
    }
    assert.throws(
      () => io.pytorchSource(new InPlace(), x),
      /InPlace\.forward: the in-place mul_ on a tensor computed from the input/,
    );
    assert.throws(
      () => io.pytorchSource(new nn.Sequential(new nn.ReLU()), x, { className: 'my-net' }),
      /'my-net' is not a Python identifier/,
    );
    assert.throws(
      () => io.pytorchSource(new nn.Sequential(new nn.ReLU()), x, { name: 'A' } as never),
      /exportPytorch: unknown option 'name'/,
    );
  });

  it('torchlit export --format pytorch writes the run’s model for PyTorch into DIR/pytorch', () => {
    const dir = tempDir('pytorch-cli-');
    const run = join(dir, 'run');
    const trained = torchlit(dir, 'train', '--model', 'net', '--epochs', '1', '--train-size', '64', '--out', run);
    assert.equal(trained.code, 0, trained.stderr);
    const r = torchlit(dir, 'export', '--run', run, '--format', 'pytorch');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Wrote .*pytorch: model\.py, model\.safetensors and safetensors_fallback\.py \(net for PyTorch/,
    );
    assert.equal(readFileSync(join(run, 'pytorch', 'model.py'), 'utf8'), fixture('net'));
    const exported = io.loadSafetensors(join(run, 'pytorch', 'model.safetensors')).tensors;
    const saved = io.loadSafetensors(join(run, 'model.safetensors')).tensors;
    assert.deepEqual(Object.keys(exported), Object.keys(saved));
    for (const k of Object.keys(saved)) assert.deepEqual(exported[k].toArray(), saved[k].toArray(), k);
    assertUsageError(
      torchlit(dir, 'export', '--run', run, '--format', 'pytorch', '--opset', '13'),
      /--opset is for --format onnx/,
    );
    assertUsageError(
      torchlit(dir, 'export', '--run', run, '--class-name', 'A'),
      /--class-name is for --format pytorch/,
    );
  });
});
