import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  arange,
  DataLoader,
  compileStep,
  F,
  Generator,
  manualSeed,
  models,
  optim,
  nn,
  ones,
  rand,
  randint,
  randn,
  TensorDataset,
  zeros,
  type Tensor,
} from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_random_fixtures.py writes: the values of each call of a sequence, in order. */
interface Streams {
  sequences: Record<string, number[][]>;
  loaders: Record<
    string,
    {
      size: number;
      drop_last: boolean;
      generator_epochs: number[][][];
      generator_after: number[];
      default_epochs: number[][][];
      default_after: number[];
    }
  >;
  net_training: { losses: number[]; fc2_bias: number[]; conv1_bias: number[]; after: number[] };
}

const ref = JSON.parse(readFileSync(`${fixtureDir}random_streams.json`, 'utf8')) as Streams;

/**
 * Each call's values against PyTorch's; the last call of each sequence (a rand) shows the draws
 * counted alike. PyTorch's float32 normals of 16 or more come from float32 vector math, within
 * about 1e-6 of the double math here.
 */
function check(name: string, calls: (() => Tensor)[], rtol = 1e-6, atol = 1e-6): void {
  const want = ref.sequences[name];
  assert.equal(calls.length, want.length);
  calls.forEach((call, i) => assertClose(call(), want[i], rtol, atol, `${name} call ${i + 1}`));
}

describe('random streams over sequences of calls, as PyTorch draws them', () => {
  it('randn of fewer than 16 values keeps the second normal of each pair for the next call', () => {
    manualSeed(0);
    check('randn_small_calls', [() => randn([1]), () => randn([1]), () => randn([3]), () => rand([2])]);
  });

  it('float64 randn draws 53-bit uniforms, in the small and the 16-or-more paths', () => {
    manualSeed(0);
    const f64 = { dtype: 'float64' as const };
    check(
      'randn_float64',
      [() => randn([5], f64), () => randn([20], f64), () => randn([33], f64), () => rand([2])],
      1e-13,
      1e-14,
    );
  });

  it('the 16-or-more path leaves the kept normal for the next small call', () => {
    manualSeed(1);
    check('randn_mixed_sizes', [
      () => randn([1]),
      () => randn([16]),
      () => randn([1]),
      () => randn([17]),
      () => randn([2], { dtype: 'float64' }),
      () => randn([1]),
    ]);
  });

  it('init.normal_ called again continues the stream', () => {
    manualSeed(2);
    const [a, b, c] = [zeros([5]), zeros([5]), zeros([20])];
    check('init_normal', [
      () => nn.init.normal_(a),
      () => nn.init.normal_(b, 1.5, 0.5),
      () => nn.init.normal_(c),
      () => rand([1]),
    ]);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`dropout masks (${dtype}) take PyTorch's draws, two 32-bit numbers an element`, () => {
      manualSeed(3);
      check(`dropout_${dtype}`, [
        () => F.dropout(ones([37], { dtype }), 0.3, true),
        () => F.dropout2d(ones([2, 5, 3, 3], { dtype }), 0.5, true),
        () => F.dropout(ones([4, 6], { dtype }), 0.5, true),
        () => rand([2]),
      ]);
    });
  }

  it('randint over ranges of 2^32 or more takes 64-bit draws', () => {
    manualSeed(4);
    check(
      'randint_wide',
      [
        () => randint(0, 2 ** 33, [6]),
        () => randint(-(2 ** 40), 2 ** 40, [4]),
        () => randint(3, 9, [5]),
        () => rand([1]),
      ],
      0,
      0,
    );
  });

  for (const [name, l] of Object.entries(ref.loaders)) {
    it(`DataLoader epochs with and without a generator (${name})`, () => {
      const ds = new TensorDataset(arange(l.size));
      const g = new Generator(7);
      const loader = new DataLoader(ds, { batchSize: 3, shuffle: true, generator: g, dropLast: l.drop_last });
      const epoch = (dl: DataLoader<Tensor[]>) => [...dl].map((b) => b[0].toArray());
      assert.deepEqual(
        [0, 1, 2].map(() => epoch(loader)),
        l.generator_epochs,
      );
      assertClose(rand([2], { generator: g }), l.generator_after, 1e-7, 0, 'the generator after three epochs');
      manualSeed(5);
      const plain = new DataLoader(ds, { batchSize: 3, shuffle: true, dropLast: l.drop_last });
      assert.deepEqual(
        [0, 1].map(() => epoch(plain)),
        l.default_epochs,
      );
      assertClose(rand([2]), l.default_after, 1e-7, 0, 'the global generator after two epochs');
    });
  }

  for (const compiled of [false, true]) {
    it(`the tutorial's Net in train mode follows PyTorch's dropout masks, step after step (${compiled ? 'compiled' : 'eager'})`, () => {
      const want = ref.net_training;
      manualSeed(1);
      const net = new models.Net();
      const opt = new optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.5 });
      const x = randn([16, 1, 28, 28]);
      const y = randint(0, 10, [16]);
      net.train();
      const step = compileStep(net, F.nllLoss, opt);
      const losses = [0, 1, 2, 3].map(() => {
        if (compiled) return step(x, y);
        opt.zeroGrad();
        const loss = F.nllLoss(net.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
      });
      assertClose(losses, want.losses, 1e-5, 1e-6, 'losses');
      assertClose(net.fc2.bias!, want.fc2_bias, 1e-4, 1e-6, 'fc2.bias');
      assertClose(net.conv1.bias!, want.conv1_bias, 1e-4, 1e-6, 'conv1.bias');
      assertClose(rand([2]), want.after, 0, 0, 'the generator after the steps');
    });
  }

  it('a generator state saved mid-pair restores the kept normal', () => {
    const g = new Generator(9);
    randn([1], { generator: g });
    const state = JSON.parse(JSON.stringify(g.getState())) as ReturnType<Generator['getState']>;
    const next = randn([3], { generator: g }).toArray();
    assert.deepEqual(randn([3], { generator: new Generator(0).setState(state) }).toArray(), next);
  });
});
