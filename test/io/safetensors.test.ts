import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { io, manualSeed, models, ones, optim, tensor, Tensor } from '../../src/index.js';
import { assertClose } from '../helpers/assert.js';
import { tempDir } from '../helpers/data.js';
import { fixtureDir, loadModelFixture } from '../helpers/fixtures.js';

/** A safetensors file from a header object and raw data bytes, for damaged-file tests. */
function craft(header: unknown, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (n: number) => ({ dtype: 'F32', shape: [n], data_offsets: [0, 4 * n] });

describe('safetensors', () => {
  it('writes the layout the format specifies, read back byte by byte', () => {
    const bytes = io.serializeSafetensors(
      {
        'b.weight': tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'float32' },
        ),
        a: tensor([7, -8], { dtype: 'int64' }),
        mask: tensor([true, false]),
      },
      { format: 'pt' },
    );
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const headerLength = Number(view.getBigUint64(0, true));
    assert.equal((8 + headerLength) % 8, 0, 'data starts on an 8-byte boundary');
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    assert.match(headerText, /^\{.*\} *$/);
    const header = JSON.parse(headerText) as Record<string, unknown>;
    assert.deepEqual(header.__metadata__, { format: 'pt' });
    // Ordered by alignment (8-byte int64 first), then by name.
    assert.deepEqual(header.a, { dtype: 'I64', shape: [2], data_offsets: [0, 16] });
    assert.deepEqual(header['b.weight'], { dtype: 'F32', shape: [2, 2], data_offsets: [16, 32] });
    assert.deepEqual(header.mask, { dtype: 'BOOL', shape: [2], data_offsets: [32, 34] });
    const data = 8 + headerLength;
    assert.equal(bytes.length, data + 34);
    assert.equal(view.getBigInt64(data, true), 7n);
    assert.equal(view.getBigInt64(data + 8, true), -8n);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => view.getFloat32(data + 16 + 4 * i, true)),
      [1, 2, 3, 4],
    );
    assert.deepEqual([...bytes.subarray(data + 32)], [1, 0]);
  });

  it("writes the same bytes as Python's safetensors for the same weights", () => {
    manualSeed(0);
    const net = new models.Net();
    const ours = io.serializeSafetensors(net.stateDict());
    const theirs = readFileSync(join(fixtureDir, 'net_seed0.safetensors'));
    assert.ok(Buffer.from(ours).equals(theirs), 'byte-identical to safetensors.torch.save_file');
  });

  it('loads a state dict PyTorch saved into the torchlit model', () => {
    const fixture = loadModelFixture('net');
    manualSeed(123);
    const net = new models.Net().eval();
    io.loadModel(net, join(fixtureDir, 'net_seed0.safetensors'));
    assertClose(
      net.forward(fixture.tensor('input')),
      fixture.tensor('output'),
      1e-4,
      1e-6,
      'Net output with PyTorch-saved weights',
    );
  });

  it('reads every dtype Python wrote, and the metadata', () => {
    const { tensors: t, metadata } = io.loadSafetensors(join(fixtureDir, 'dtypes.safetensors'));
    assert.deepEqual(metadata, { format: 'pt', note: 'made by make_safetensors_fixtures.py' });
    assert.deepEqual(t.f64.toArray(), [1.5, -2.25]);
    assert.deepEqual(t.f32.shape, [2, 3]);
    assert.deepEqual(t.f32.tolist(), [
      [0, 0.25, 0.5],
      [0.75, 1, 1.25],
    ]);
    assert.equal(t.f16.dtype, 'float32');
    assertClose(t.f16, [0.5, -3, 65504, 1.1920928955078125e-7], 1e-3, 0);
    assert.deepEqual(t.bf16.toArray().slice(0, 2), [1, -0.15625]);
    assertClose(t.bf16.toArray().slice(2), [3e38], 1e-2, 0);
    assert.equal(t.i64.dtype, 'int64');
    assert.deepEqual(t.i64.toArray(), [-(2 ** 40), 7]);
    assert.deepEqual(t.i32.toArray(), [-5, 2 ** 30]);
    assert.deepEqual(t.i8.toArray(), [-128, 127]);
    assert.equal(t.u8.dtype, 'uint8');
    assert.deepEqual(t.u8.toArray(), [0, 255]);
    assert.equal(t.bool.dtype, 'bool');
    assert.deepEqual(t.bool.tolist(), [1, 0, 1]);
    assert.deepEqual(t.scalar.shape, []);
    assert.equal(t.scalar.item(), 3);
    assert.deepEqual(t.empty.shape, [0, 4]);
  });

  it('round-trips every dtype torchlit has', () => {
    const tensors = {
      x: tensor([
        [0.1, -2],
        [3e-8, 1e30],
      ]),
      d: tensor([Math.PI], { dtype: 'float64' }),
      i: tensor([2 ** 52, -3], { dtype: 'int64' }),
      u: tensor([0, 200], { dtype: 'uint8' }),
      s: tensor(5),
    };
    const back = io.parseSafetensors(io.serializeSafetensors(tensors, { k: 'v' }));
    assert.deepEqual(back.metadata, { k: 'v' });
    for (const [k, t] of Object.entries(tensors)) {
      assert.equal(back.tensors[k].dtype, t.dtype, k);
      assert.deepEqual(back.tensors[k].shape, t.shape, k);
      assert.deepEqual(back.tensors[k].tolist(), t.tolist(), k);
    }
  });

  describe('never trusts the file', () => {
    const four = new Uint8Array(16);
    const cases: [string, Uint8Array, RegExp][] = [
      ['too short', new Uint8Array(5), /too short/],
      ['header length past the end', craft({ a: f32(4) }, four, 1000n), /header length 1000 runs past the end/],
      ['header not JSON', craft('{"a": ', four), /header is not valid JSON/],
      ['header not an object', craft('[1,2]', four), /not valid JSON|not a JSON object/],
      [
        'offsets past the data',
        craft({ a: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } }, four),
        /tensor 'a': data_offsets \[0, 32\] fall outside the 16 data bytes/,
      ],
      [
        'offsets reversed',
        craft({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, four),
        /tensor 'a'.*fall outside/,
      ],
      [
        'overlapping tensors',
        craft({ a: f32(4), b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, four),
        /overlap another tensor/,
      ],
      [
        'a gap between tensors',
        craft({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, four),
        /leave a gap at bytes \[0, 8\)/,
      ],
      [
        'bytes after the last tensor',
        craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, four),
        /8 data bytes after the last tensor/,
      ],
      [
        'unknown dtype',
        craft({ a: { dtype: 'F8_E4M3', shape: [16], data_offsets: [0, 16] } }, four),
        /tensor 'a': unknown or unsupported dtype "F8_E4M3"/,
      ],
      [
        'shape disagreeing with bytes',
        craft({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, four),
        /tensor 'a': shape \[3\] of F32 needs 12 bytes but data_offsets give 16/,
      ],
      [
        'negative dimension',
        craft({ a: { dtype: 'F32', shape: [-4], data_offsets: [0, 16] } }, four),
        /tensor 'a': shape \[-4\] is not a list/,
      ],
      ['metadata not strings', craft({ __metadata__: { n: 3 }, a: f32(4) }, four), /__metadata__ value 'n' is 3/],
    ];
    for (const [name, bytes, message] of cases) {
      it(name, () => {
        assert.throws(
          () => io.parseSafetensors(bytes, 'ckpt.safetensors'),
          (e: Error) => {
            assert.equal(e.name, 'SafetensorsError');
            assert.match(e.message, /^ckpt\.safetensors: /);
            assert.match(e.message, message);
            return true;
          },
        );
      });
    }
  });

  it('a state dict from another model names the file and the keys, and changes nothing', () => {
    const dir = tempDir();
    const file = join(dir, 'lenet.safetensors');
    io.saveModel(new models.Network(), file);
    const net = new models.Net();
    const before = net.fc1.weight.toArray();
    assert.throws(
      () => io.loadModel(net, file),
      (e: Error) => {
        assert.match(e.message, new RegExp(`^${file.replace(/[.]/g, '\\.')}: `));
        assert.match(
          e.message,
          /size mismatch for conv1.weight: copying a param with shape torch.Size\(\[6, 1, 5, 5\]\)/,
        );
        assert.match(e.message, /Unexpected key\(s\) in state_dict: .*"out.weight"/);
        assert.match(e.message, /the file holds a Network/);
        return true;
      },
    );
    assert.deepEqual(net.fc1.weight.toArray(), before);
    assert.throws(() => io.loadModel(net, join(dir, 'missing.safetensors')), /missing\.safetensors: no such file/);
  });

  it('a damaged file on disk is an error and the model keeps its weights', () => {
    const dir = tempDir();
    const file = join(dir, 'net.safetensors');
    const net = new models.Net();
    io.saveModel(net, file);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    const before = net.conv1.weight.toArray();
    assert.throws(() => io.loadModel(net, file), /net\.safetensors: .*(outside|after the last)/);
    assert.deepEqual(net.conv1.weight.toArray(), before);
  });

  it('optimizer state round-trips: SGD momentum and Adam moments and steps', () => {
    const dir = tempDir();
    for (const make of [
      (p: Tensor[]) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
      (p: Tensor[]) => new optim.Adam(p, { lr: 0.01 }),
    ]) {
      manualSeed(3);
      const net = new models.Network();
      const opt = make(net.parameters());
      for (const p of net.parameters()) p.grad = ones(p.shape);
      opt.step();
      opt.step();
      const file = join(dir, 'opt.safetensors');
      io.saveOptimizer(opt, file);
      const fresh = make(new models.Network().parameters());
      io.loadOptimizer(fresh, file);
      const a = opt.stateDict();
      const b = fresh.stateDict();
      assert.deepEqual(b.paramGroups, a.paramGroups);
      for (const [id, s] of Object.entries(a.state)) {
        for (const [k, v] of Object.entries(s)) {
          const w = b.state[Number(id)][k];
          if (v instanceof Tensor) assert.deepEqual((w as Tensor).toArray(), v.toArray(), `${id}.${k}`);
          else assert.equal(w, v, `${id}.${k}`);
        }
      }
    }
  });

  it('optimizer state of another kind or model is refused', () => {
    const dir = tempDir();
    const file = join(dir, 'sgd.safetensors');
    const net = new models.Net();
    const sgd = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.5 });
    for (const p of net.parameters()) p.grad = ones(p.shape);
    sgd.step();
    io.saveOptimizer(sgd, file);
    assert.throws(
      () => io.loadOptimizer(new optim.Adam(net.parameters()), file),
      /sgd\.safetensors: holds SGD state, but the optimizer is Adam/,
    );
    assert.throws(
      () => io.loadOptimizer(new optim.SGD(new models.Network().parameters(), { lr: 0.1 }), file),
      /sgd\.safetensors: .*has 8 parameters in the saved state but 10 here/,
    );
    io.saveModel(net, join(dir, 'model.safetensors'));
    assert.throws(() => io.loadOptimizer(sgd, join(dir, 'model.safetensors')), /not a torchlit optimizer state file/);
  });
});
