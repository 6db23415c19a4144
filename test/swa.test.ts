import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nn, optim, randn, tensor, type Tensor } from '../src/index.js';
import { fixtureDir } from './helpers/fixtures.js';

const { AveragedModel, emaAvgFn, updateBn } = optim.swa_utils;
type Flat = Record<string, number[]>;
const fixture = JSON.parse(readFileSync(join(fixtureDir, 'swa.json'), 'utf8')) as {
  swa: Flat[];
  ema: Flat[];
  swa_buffers: Flat[];
  snapshots: Flat[];
  update_bn: { batches: number[][]; state: Flat; training: boolean; momentum: number };
};

const net = () =>
  new nn.Sequential(
    new nn.Conv2d(1, 2, 3),
    new nn.BatchNorm2d(2),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(2 * 4 * 4, 3),
  );

function load(model: nn.Module, flat: Flat): void {
  const own = model.stateDict();
  model.loadStateDict(
    Object.fromEntries(
      Object.entries(flat).map(([k, v]) => [k, tensor(v, { dtype: own[k].dtype }).reshape(...own[k].shape)]),
    ),
  );
}

function assertState(actual: Record<string, Tensor>, expected: Flat, label: string): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${label}: keys`);
  for (const [k, want] of Object.entries(expected)) {
    const got = Array.from(actual[k].values());
    got.forEach((v, i) =>
      assert.ok(Math.abs(v - want[i]) <= 1e-6 * (1 + Math.abs(want[i])), `${label} ${k}[${i}]: ${v} vs ${want[i]}`),
    );
  }
}

describe('weight averaging against PyTorch 1.13', () => {
  for (const [name, opts] of [
    ['swa', {}],
    ['ema', { avgFn: emaAvgFn(0.9) }],
    ['swa_buffers', { useBuffers: true }],
  ] as const) {
    it(`AveragedModel ${name}: the state after each of three updates`, () => {
      const model = net();
      load(model, fixture.snapshots[0]);
      const averaged = new AveragedModel(model, opts);
      fixture.snapshots.forEach((snap, i) => {
        load(model, snap);
        averaged.updateParameters(model);
        assertState(averaged.stateDict(), fixture[name][i], `${name} update ${i + 1}`);
      });
      assert.equal(averaged.nAveraged, 3);
    });
  }

  it('updateBn recomputes the running statistics in one pass and restores mode and momentum', () => {
    const model = net();
    load(model, fixture.snapshots[2]);
    const averaged = new AveragedModel(model);
    averaged.updateParameters(model);
    averaged.eval();
    const batches = fixture.update_bn.batches.map((b) => [tensor(b).reshape(4, 1, 6, 6), tensor([0, 0, 0, 0])]);
    updateBn(batches, averaged);
    assertState(averaged.stateDict(), fixture.update_bn.state, 'update_bn');
    assert.equal(averaged.training, false);
    assert.equal(([...averaged.module.children()][1] as nn.BatchNorm2d).momentum, fixture.update_bn.momentum);
  });

  it('the average is a copy: training the model changes only the model', () => {
    const model = net();
    const averaged = new AveragedModel(model);
    const before = Array.from(averaged.module.parameters()[0].values());
    model.parameters()[0].data.fill(7);
    assert.deepEqual(Array.from(averaged.module.parameters()[0].values()), before);
    assert.throws(
      () => averaged.updateParameters(new nn.Linear(2, 2) as never),
      /the model has 2 tensors, the average 6/,
    );
    assert.throws(() => new AveragedModel(model, { device: 'cuda' } as never), /not supported: device/);
    assert.throws(() => emaAvgFn(1.5), /decay must be in \[0, 1\]/);
    assert.equal(averaged.forward(randn([1, 1, 6, 6])).shape.join(), '1,3');
  });
});
