import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { nn, ones, tensor, type DType, type Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

describe('containers', () => {
  it('ModuleList registers its modules as 0, 1, ... and prints as PyTorch', () => {
    const list = new nn.ModuleList([new nn.Linear(2, 3), new nn.ReLU()]);
    list.append(new nn.Linear(3, 1));
    assert.equal(list.length, 3);
    assert.ok(list[2] instanceof nn.Linear);
    assert.deepEqual(
      [...list.namedParameters()].map(([k]) => k),
      ['0.weight', '0.bias', '2.weight', '2.bias'],
    );
    assert.equal(
      list.toString(),
      'ModuleList(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=3, out_features=1, bias=True)\n)',
    );
    let y: Tensor = ones([4, 2]);
    for (const m of list) y = m.forward(y);
    assert.deepEqual([...y.shape], [4, 1]);
    assert.throws(() => list.forward(), /ModuleList has no forward/);
    assert.throws(() => list.append({} as nn.Module), /is not a Module/);
  });

  it('ModuleDict registers by name; ParameterList registers parameters', () => {
    const d = new nn.ModuleDict({ encoder: new nn.Linear(2, 2), head: new nn.Linear(2, 1) });
    assert.deepEqual(d.keys(), ['encoder', 'head']);
    assert.deepEqual(Object.keys(d.stateDict()), ['encoder.weight', 'encoder.bias', 'head.weight', 'head.bias']);
    assert.throws(() => d.get('decoder'), /ModuleDict has no module 'decoder' \(it has encoder, head\)/);
    const ps = new nn.ParameterList([new nn.Parameter(ones([2])), new nn.Parameter(ones([3]))]);
    assert.equal(ps.length, 2);
    assert.deepEqual(
      [...ps.namedParameters()].map(([k]) => k),
      ['0', '1'],
    );
  });
});

/** What scripts/make_clip_fixtures.py writes. */
interface ClipCase {
  dtype: DType;
  max_norm?: number;
  norm_type?: number | 'inf';
  clip_value?: number;
  grads: number[][];
  shapes: number[][];
  total?: number;
  clipped: number[][];
}

describe('nn.utils gradient clipping against PyTorch', () => {
  const cases = JSON.parse(readFileSync(`${fixtureDir}clip_grad.json`, 'utf8')) as ClipCase[];
  for (const c of cases) {
    const name =
      c.clip_value !== undefined ? `clipGradValue_(${c.clip_value})` : `clipGradNorm_(${c.max_norm}, ${c.norm_type})`;
    it(`${name} ${c.dtype}`, () => {
      const params = c.grads.map((g, i) => {
        const p = new nn.Parameter(tensor(g, { dtype: c.dtype }).reshape(...c.shapes[i]));
        p.grad = tensor(g, { dtype: c.dtype }).reshape(...c.shapes[i]);
        return p;
      });
      const [rtol, atol] = c.dtype === 'float64' ? [1e-12, 1e-14] : [1e-5, 1e-7];
      if (c.clip_value !== undefined) nn.utils.clipGradValue_(params, c.clip_value);
      else {
        const total = nn.utils.clipGradNorm_(params, c.max_norm!, c.norm_type === 'inf' ? Infinity : c.norm_type);
        assertClose([total.item()], [c.total!], rtol, atol, 'total norm');
      }
      params.forEach((p, i) => assertClose(p.grad!, c.clipped[i], rtol, atol, `gradient ${i}`));
    });
  }

  it('a non-finite norm is an error when asked', () => {
    const p = new nn.Parameter(ones([2]));
    p.grad = tensor([NaN, 1]);
    assert.throws(() => nn.utils.clipGradNorm_([p], 1, 2, true), /non-finite, so it cannot be clipped/);
  });
});
