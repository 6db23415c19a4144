import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { datasets, io, nn, randn, Tensor } from '../src/index.js';
import { describeFsError, withPath } from '../src/util/fs_error.js';
import { fixtureDir } from './helpers/fixtures.js';
import { cliPath, startTorchlit, torchlit } from './helpers/cli.js';
import { idxFile, tempDir, writeIdxDataset, writeIdxSplit } from './helpers/data.js';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header claims width x height RGBA pixels but whose data is one short row. */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('hostile input', () => {
  it('a PNG claiming more pixels than 8192 x 8192 is refused from its header, before inflating', () => {
    for (const [w, h] of [
      [20000, 20000],
      [2 ** 31 - 1, 2 ** 31 - 1],
    ]) {
      const t0 = performance.now();
      assert.throws(
        () => io.decodeImage(pngBomb(w, h), 'rgb', 'bomb.png'),
        new RegExp(`bomb\\.png: PNG header claims ${w} x ${h} pixels, more than`),
      );
      assert.ok(performance.now() - t0 < 100);
    }
    assert.throws(
      () => io.decodeImage(pngBomb(0, 5), 'rgb', 'empty.png'),
      /empty\.png: PNG header claims 0 x 5 pixels/,
    );
  });

  it('an IDX gzip bomb is refused from its header: against the labels, or past what it claims', async () => {
    const dir = tempDir();
    writeIdxSplit(dir, 't10k', 50, true);
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte.gz'),
      gzipSync(idxFile(0x803, [5_000_000, 28, 28], new Uint8Array(784))),
    );
    const t0 = performance.now();
    await assert.rejects(
      datasets.MNIST({ root: dir, train: false, localCopies: false }),
      /t10k-images-idx3-ubyte\.gz holds 5000000 images but .*t10k-labels-idx1-ubyte\.gz holds 50 labels/,
    );
    assert.ok(performance.now() - t0 < 500, 'refused without inflating 3.9 GB');
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte.gz'),
      gzipSync(Buffer.concat([idxFile(0x803, [50, 28, 28], new Uint8Array(0)), Buffer.alloc(50_000_000)])),
    );
    await assert.rejects(
      datasets.MNIST({ root: dir, train: false, localCopies: false }),
      /t10k-images-idx3-ubyte\.gz: inflates to more than the 39216 bytes its IDX header claims/,
    );
  });

  it('half a split in the folder the user named is an error, never a silent switch to another copy', async () => {
    const dir = tempDir();
    writeIdxSplit(dir, 'train', 20, true);
    unlinkSync(join(dir, 'train-labels-idx1-ubyte.gz'));
    await assert.rejects(
      datasets.MNIST({ root: dir }),
      /holds train-images-idx3-ubyte\.gz but not train-labels-idx1-ubyte \(raw or \.gz\); add the missing file/,
    );
  });

  it('an IDX header that reshapes the same bytes (56 x 14 for 28 x 28) is refused by the command', () => {
    const dir = tempDir();
    const data = writeIdxDataset(300, 50);
    const images = readFileSync(join(data, 'train-images-idx3-ubyte')).subarray(16);
    writeFileSync(join(data, 'train-images-idx3-ubyte'), idxFile(0x803, [300, 56, 14], images));
    const r = torchlit(dir, 'train', '--model', 'mlp', '--epochs', '1', '--data', data);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /mnist in .*: its images are 56 x 14, but mnist images are 28 x 28; the files are damaged or of another dataset/,
    );
    const empty = torchlit(dir, 'train', '--model', 'mlp', '--epochs', '1', '--data', writeIdxDataset(300, 0));
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /the test split of mnist in \S+ holds no images/);
    assert.doesNotMatch(empty.stdout, /NaN%/);
  });

  it('a run directory has one writer: a second train is told who holds it, a stale lock is taken over', async () => {
    const dir = tempDir();
    const data = writeIdxDataset(3000, 100);
    const args = ['train', '--model', 'mlp', '--epochs', '2', '--data', data, '--out', 'runs/x'];
    const first = startTorchlit(dir, ...args);
    const exited = new Promise<number | null>((resolve) => first.on('exit', resolve));
    const lock = join(dir, 'runs/x/.lock');
    for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(readFileSync(lock, 'utf8').trim(), String(first.pid));
    const second = torchlit(dir, ...args);
    assert.equal(second.code, 2);
    assert.match(
      second.stderr,
      new RegExp(`runs/x is in use by process ${first.pid}; wait for it to finish or choose another --out`),
    );
    assert.equal(await exited, 0);
    assert.ok(existsSync(join(dir, 'runs/x/metrics.json')), 'the first run is whole');
    assert.equal(existsSync(lock), false, 'the lock is gone with its process');
    mkdirSync(join(dir, 'runs/y'), { recursive: true });
    writeFileSync(join(dir, 'runs/y/.lock'), '999999999\n');
    const taken = torchlit(
      dir,
      'train',
      '--model',
      'mlp',
      '--epochs',
      '1',
      '--data',
      data,
      '--train-size',
      '100',
      '--out',
      'runs/y',
    );
    assert.equal(taken.code, 0, taken.stderr);
  });

  it('an --out the user cannot write is a usage error naming it; a full disk names the file', (t) => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'ro'), { mode: 0o555 });
    chmodSync(join(dir, 'ro'), 0o555);
    // Root writes anywhere: the read-only folder is tried as the user nobody, where that user can run torchlit.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if ('uid' in asUser) {
      const probe = spawnSync(process.execPath, [cliPath, '--help'], { cwd: dir, ...asUser });
      if (probe.status !== 0) return t.skip('running as root, and the user nobody cannot run torchlit from this clone');
    }
    const r = spawnSync(process.execPath, [cliPath, 'train', '--out', 'ro/run'], {
      cwd: dir,
      encoding: 'utf8',
      ...asUser,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /^torchlit train: --out ro\/run cannot hold a run: cannot mkdir ro\/run: permission denied; choose a folder you can write to/,
    );
    if (!statSync('/dev/full', { throwIfNoEntry: false })?.isCharacterDevice()) return;
    let full: unknown;
    try {
      writeFileSync('/dev/full', 'weights');
    } catch (e) {
      full = withPath(e, 'runs/x/model.safetensors');
    }
    assert.equal(
      describeFsError(full),
      'cannot write runs/x/model.safetensors: no space left on the device; free some space and run the command again (ENOSPC)',
    );
  });

  it('files named on the command line: a device is never read, a non-image or foreign weights are usage errors', () => {
    const dir = tempDir();
    const data = writeIdxDataset(300, 50);
    assert.equal(torchlit(dir, 'train', '--model', 'mlp', '--epochs', '1', '--data', data, '--out', 'r').code, 0);
    const zero = torchlit(dir, 'predict', '--run', 'r', '/dev/zero');
    assert.equal(zero.code, 2);
    assert.match(
      zero.stderr,
      /^torchlit predict: \/dev\/zero: not a regular file \(a device, pipe or socket\); name a file/,
    );
    const notImage = torchlit(dir, 'predict', '--run', 'r', 'r/config.json');
    assert.equal(notImage.code, 2);
    assert.match(notImage.stderr, /^torchlit predict: r\/config\.json: not a PNG or JPEG file/);
    const foreign = torchlit(dir, 'eval', '--model', 'net', '--weights', 'r/model.safetensors', '--data', data);
    assert.equal(foreign.code, 2);
    assert.match(
      foreign.stderr,
      /^torchlit eval: r\/model\.safetensors: Error\(s\) in loading state_dict for Net: Missing key\(s\)/,
    );
    assert.equal(foreign.stderr.trim().split('\n').length, 1);
    const nested = torchlit(dir, 'viz', 'featuremaps', '--run', 'r');
    assert.match(nested.stderr, /mlp has no Conv2d layer: feature maps need a model with convolutions/);
    const compared = torchlit(dir, 'compare', '--models', 'mlp', '--out', 'r');
    assert.equal(compared.code, 2);
    assert.match(compared.stderr, /--out r already holds a run of torchlit train; choose a new or empty folder/);
    const weird = torchlit(dir, 'train', '--epochs', 'a\nb');
    assert.equal(weird.stderr.trim().split('\n').length, 1);
    assert.match(weird.stderr, /--epochs must be an integer >= 0, got 'a\\nb'/);
  });

  it('a write onto a device or a folder is refused, and the device stays one', () => {
    const w = { w: new Tensor(Float32Array.of(1), [1], 'float32') };
    assert.throws(
      () => io.saveSafetensors('/dev/null', w),
      /^Error: cannot write \/dev\/null: it is a device, pipe or socket, not a file; choose another path$/,
    );
    assert.ok(statSync('/dev/null').isCharacterDevice());
    const dir = tempDir();
    assert.throws(() => io.saveSafetensors(dir, w), /it is a folder, not a file/);
  });

  it('--resume without a checkpoint, and an empty --out, are errors that change nothing', () => {
    const dir = tempDir();
    const data = writeIdxDataset(300, 50);
    assert.equal(torchlit(dir, 'train', '--model', 'mlp', '--epochs', '1', '--data', data, '--out', 'r').code, 0);
    unlinkSync(join(dir, 'r/checkpoint.json'));
    const weights = readFileSync(join(dir, 'r/model.safetensors'));
    const r = torchlit(dir, 'train', '--resume', '--out', 'r', '--epochs', '2');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /r has no checkpoint\.json to resume from; nothing was changed/);
    assert.deepEqual(readFileSync(join(dir, 'r/model.safetensors')), weights);
    assert.match(torchlit(dir, 'train', '--out', '').stderr, /--out must name a folder/);
  });

  it('a loss that becomes NaN stops training with the batch named and exit code 1, unless told to go on', () => {
    const dir = tempDir();
    const data = writeIdxDataset(300, 50);
    const args = ['train', '--model', 'mlp', '--lr', '1e30', '--epochs', '1', '--data', data];
    const r = torchlit(dir, ...args, '--out', 'a');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the loss became (NaN|Infinity) at epoch 1, batch \d+ .*--no-stop-on-nan/);
    assert.equal(torchlit(dir, ...args, '--out', 'b', '--no-stop-on-nan').code, 0);
    const weightsLine =
      /^torchlit (eval|predict): b\/model\.safetensors: [\w.]+ holds \d+ NaN or infinite values of \d+; the weights are damaged, or the training that wrote them diverged/;
    const evaluated = torchlit(dir, 'eval', '--run', 'b');
    assert.equal(evaluated.code, 2);
    assert.match(evaluated.stderr, weightsLine);
    assert.match(
      torchlit(dir, 'predict', '--run', 'b', join(fixtureDir, 'datasets/image_folder/B/z.png')).stderr,
      weightsLine,
    );
  });

  it('safetensors headers that would slip past the checks: a prototype dtype, __proto__, a repeated key', () => {
    const file = (header: string) => {
      const b = Buffer.alloc(8 + header.length + 4);
      b.writeBigUInt64LE(BigInt(header.length));
      b.write(header, 8);
      return b;
    };
    const entry = (dtype: string) => `{"dtype":"${dtype}","shape":[1],"data_offsets":[0,4]}`;
    assert.throws(
      () => io.parseSafetensors(file(`{"a":${entry('constructor')}}`)),
      /tensor 'a': unknown or unsupported dtype "constructor"/,
    );
    assert.throws(
      () => io.parseSafetensors(file(`{"__proto__":${entry('F32')}}`)),
      /tensor '__proto__': the name __proto__ is not a tensor name/,
    );
    assert.throws(
      () => io.parseSafetensors(file(`{"a":${entry('F32')},"a":${entry('F32')}}`)),
      /the key 'a' appears twice/,
    );
    assert.deepEqual(Object.keys(io.parseSafetensors(file(`{"a\\"b":${entry('F32')}}`)).tensors), ['a"b']);
  });

  it('integer data under a float parameter is refused, naming the key', () => {
    const dir = tempDir();
    const model = new nn.Linear(2, 1);
    const path = join(dir, 'w.safetensors');
    const ints = {
      weight: new Tensor(Float64Array.of(1, 2), [1, 2], 'int64'),
      bias: new Tensor(Float32Array.of(0), [1], 'float32'),
    };
    writeFileSync(path, io.serializeSafetensors(ints));
    const before = model.weight.toArray();
    assert.throws(
      () => io.loadModel(model, path),
      /w\.safetensors: weight holds int64 values but the model's weight is float32/,
    );
    assert.deepEqual(model.weight.toArray(), before);
  });

  it('layer arguments that make no layer are refused by name', () => {
    assert.throws(() => new nn.Conv2d(1, 1, 0), /nn\.Conv2d: kernel_size must be positive, got 0/);
    assert.throws(() => new nn.Conv2d(1, 1, 3, { stride: 0 }), /stride should be greater than zero/);
    assert.throws(() => new nn.Linear(1.5, 10), {
      name: 'TypeError',
      message: /in_features must be an integer, got 1\.5/,
    });
    assert.throws(() => new nn.Linear(-1, 10), /negative dimension -1: in_features/);
    assert.throws(
      () => nn.functional.maxPool2d(randn([1, 1, 4, 4]), 0),
      /max_pool2d: kernel_size must be greater than zero/,
    );
    assert.throws(
      () => nn.functional.avgPool2d(randn([1, 1, 4, 4]), 0),
      /avg_pool2d: kernel_size must be greater than zero/,
    );
  });

  it('damaged run files name the file and field; --out into / or /proc and --weights /dev/zero are refused', () => {
    const dir = tempDir();
    const data = writeIdxDataset(300, 50);
    assert.equal(torchlit(dir, 'train', '--model', 'mlp', '--epochs', '1', '--data', data, '--out', 'r').code, 0);
    const checkpoint = join(dir, 'r/checkpoint.json');
    const good = readFileSync(checkpoint, 'utf8');
    for (const [field, value, message] of [
      ['epoch', 'abc', /checkpoint\.json: epoch is "abc", not an epoch number/],
      ['epoch', -3, /epoch is -3, not an epoch number/],
      ['batchesDone', -5, /batchesDone is -5, not a count of batches/],
      ['generators', null, /generators is null, not a list of generator states/],
      [
        'epoch',
        99,
        /checkpoint\.json: epoch 99 \(complete\) but its history holds 1 epoch; the run directory is damaged/,
      ],
      ['batchesDone', 10_000, /batchesDone 10000 is more than the 10 batches of an epoch/],
      ['history', { trainLosses: 'x' }, /history is \{"trainLosses":"x"\}, not a history/],
    ] as const) {
      writeFileSync(checkpoint, JSON.stringify({ ...(JSON.parse(good) as object), [field]: value }));
      const r = torchlit(dir, 'train', '--resume', '--out', 'r', '--epochs', '2');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
    }
    writeFileSync(checkpoint, good);
    assert.match(
      torchlit(dir, 'train', '--resume', '--out', 'r', '--epochs', '0').stderr,
      /the run has trained 1 epoch, more than the 0 asked for; resume with epochs 1 or more/,
    );
    writeFileSync(checkpoint, good);
    const config = join(dir, 'r/config.json');
    const cfg = readFileSync(config, 'utf8');
    for (const [field, value, message] of [
      ['loss', 'hinge', /config\.json is damaged \(loss is "hinge", not 'nll' or 'cross-entropy'\)/],
      ['normalize', [], /normalize is \[\], not null or \[mean, std\]/],
      ['trainSize', -1, /trainSize is -1, not null or a positive integer/],
      ['dataset', 'svhn', /--dataset must be one of/],
    ] as const) {
      writeFileSync(config, JSON.stringify({ ...(JSON.parse(cfg) as object), [field]: value }));
      assert.match(torchlit(dir, 'eval', '--run', 'r').stderr, message);
    }
    assert.match(
      torchlit(dir, 'train', '--out', '/').stderr,
      /--out \/ already holds other files .*; choose a new or empty folder/,
    );
    assert.match(torchlit(dir, 'train', '--out', '/proc/x').stderr, /--out \/proc\/x is a system folder/);
    assert.match(
      torchlit(dir, 'eval', '--weights', '/dev/zero', '--model', 'net').stderr,
      /\/dev\/zero: not a regular file/,
    );
  });
});
