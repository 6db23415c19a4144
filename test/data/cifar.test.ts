import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { DataLoader, datasets, md5, readPickle, transforms } from '../../src/index.js';
import { tarArchive, tempDir } from '../helpers/data.js';
import { fixtureDir } from '../helpers/fixtures.js';

interface Read {
  data: number[];
  targets: number[];
  classes: string[];
}
/** What scripts/make_dataset_fixtures.py read back with torchvision. */
const fixture = JSON.parse(readFileSync(join(fixtureDir, 'datasets.json'), 'utf8')) as { cifar: Record<string, Read> };
const fixtureRoot = join(fixtureDir, 'datasets');

function copyOf(folder: string): string {
  const root = tempDir();
  cpSync(join(fixtureRoot, folder), join(root, folder), { recursive: true });
  return root;
}

describe('CIFAR10 and CIFAR100', () => {
  for (const [key, load] of [
    ['cifar10', datasets.CIFAR10],
    ['cifar100', datasets.CIFAR100],
  ] as const) {
    for (const split of ['train', 'test'] as const) {
      it(`${key} ${split}: the images, labels and classes torchvision reads from the same pickles`, async () => {
        const ds = await load({ root: fixtureRoot, train: split === 'train' });
        const want = fixture.cifar[`${key}_${split}`];
        assert.equal(ds.length, want.targets.length);
        assert.deepEqual(ds.data.shape, [want.targets.length, 3, 32, 32]);
        assert.deepEqual([...ds.data.data], want.data);
        assert.deepEqual([...ds.targets.data], want.targets);
        assert.deepEqual(ds.classes, want.classes);
        const last = ds.length - 1;
        const [image, label] = ds.get(last);
        assert.deepEqual(image.shape, [3, 32, 32]);
        assert.equal(image.dtype, 'uint8');
        assert.deepEqual([...image.data], want.data.slice(3072 * last, 3072 * ds.length));
        assert.equal(label, want.targets[last]);
      });
    }
  }

  it('the binary release (cifar-10-batches-bin) gives the same dataset', async () => {
    const py = await datasets.CIFAR10({ root: fixtureRoot });
    const root = tempDir();
    const bin = join(root, 'cifar-10-batches-bin');
    mkdirSync(bin);
    for (let b = 0; b < 5; b++) {
      const records = Buffer.alloc(2 * 3073);
      for (let i = 0; i < 2; i++) {
        records[i * 3073] = py.targets.data[b * 2 + i];
        records.set(py.data.data.subarray((b * 2 + i) * 3072, (b * 2 + i + 1) * 3072), i * 3073 + 1);
      }
      writeFileSync(join(bin, `data_batch_${b + 1}.bin`), records);
    }
    writeFileSync(join(bin, 'batches.meta.txt'), `${py.classes.join('\n')}\n\n`);
    const ds = await datasets.CIFAR10({ root });
    assert.deepEqual([...ds.data.data], [...py.data.data]);
    assert.deepEqual([...ds.targets.data], [...py.targets.data]);
    assert.deepEqual(ds.classes, py.classes);
  });

  it('batches through a per-channel Normalize equal get() sample by sample', async () => {
    const ds = await datasets.CIFAR10({
      root: fixtureRoot,
      transform: new transforms.Compose([
        new transforms.ToTensor(),
        new transforms.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]),
      ]),
    });
    const [x, y] = [...new DataLoader(ds, { batchSize: 10 })][0];
    assert.deepEqual(x.shape, [10, 3, 32, 32]);
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(x.select(i).toArray(), ds.get(i)[0].toArray());
      assert.equal(y.data[i], ds.get(i)[1]);
    }
  });

  it('a missing folder says where it looked and how to download', async () => {
    const root = tempDir();
    await assert.rejects(datasets.CIFAR100({ root, train: false }), (e: Error) => {
      assert.match(e.message, /CIFAR100 test data not found: looked for test, meta in .*cifar-100-python/);
      assert.match(e.message, /Pass \{ download: true \}/);
      return true;
    });
  });

  it('a truncated batch, a label out of range and a binary file of odd length name the file', async () => {
    let root = copyOf('cifar-10-batches-py');
    const batch = join(root, 'cifar-10-batches-py', 'data_batch_3');
    writeFileSync(batch, readFileSync(batch).subarray(0, 4000));
    await assert.rejects(datasets.CIFAR10({ root }), /data_batch_3: truncated: the file ends inside a pickle record/);

    root = copyOf('cifar-100-python');
    const meta = join(root, 'cifar-100-python', 'meta');
    const names = readFileSync(meta);
    // Cut the class list to nothing but its first name, so every other label is out of range.
    writeFileSync(
      meta,
      Buffer.concat([
        Buffer.from([0x80, 0x04, 0x7d, 0x8c, 16]),
        Buffer.from('fine_label_names'),
        Buffer.from([0x5d, 0x8c, 1, 0x61, 0x61, 0x73, 0x2e]),
      ]),
    );
    await assert.rejects(datasets.CIFAR100({ root }), /train: label \d+ at index \d+ is not one of the 1 classes/);
    assert.ok(names.length > 0);

    root = tempDir();
    mkdirSync(join(root, 'cifar-10-batches-bin'));
    writeFileSync(join(root, 'cifar-10-batches-bin', 'test_batch.bin'), Buffer.alloc(3073 * 2 - 5));
    writeFileSync(join(root, 'cifar-10-batches-bin', 'batches.meta.txt'), 'a\nb\n');
    await assert.rejects(
      datasets.CIFAR10({ root, train: false }),
      /test_batch\.bin: 6141 bytes is not a whole number of 3073-byte CIFAR records/,
    );
  });

  it('a pickle that would run code is refused, and nothing runs', async () => {
    const root = copyOf('cifar-10-batches-py');
    const marker = join(root, 'ran');
    // os.system('touch <marker>'), as a malicious pickle would call it.
    const evil = Buffer.concat([
      Buffer.from('\x80\x02cos\nsystem\nq\x00X', 'latin1'),
      Buffer.from(new Uint32Array([`touch ${marker}`.length]).buffer),
      Buffer.from(`touch ${marker}`),
      Buffer.from('\x85R.', 'latin1'),
    ]);
    writeFileSync(join(root, 'cifar-10-batches-py', 'data_batch_1'), evil);
    await assert.rejects(datasets.CIFAR10({ root }), /data_batch_1: refusing the global os\.system/);
    assert.equal(existsSync(marker), false);
    assert.throws(
      () => readPickle(Buffer.from('\x80\x02c__builtin__\neval\n.', 'latin1'), 'x.pkl'),
      /refusing the global __builtin__\.eval/,
    );
    assert.throws(
      () => readPickle(Buffer.from('\x80\x02(i\n.', 'latin1'), 'x.pkl'),
      /x\.pkl: refusing pickle opcode 0x69/,
    );
    assert.throws(
      () => readPickle(Buffer.from('\x80\x02]q\x00h\x05.', 'latin1'), 'x.pkl'),
      /memo entry 5 was never stored/,
    );
  });

  it('downloads the archive, checks its md5 and extracts the batches', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const f of [
      'data_batch_1',
      'data_batch_2',
      'data_batch_3',
      'data_batch_4',
      'data_batch_5',
      'test_batch',
      'batches.meta',
    ])
      files[`cifar-10-batches-py/${f}`] = readFileSync(join(fixtureRoot, 'cifar-10-batches-py', f));
    const archive = gzipSync(tarArchive(files));
    const server: Server = createServer((req, res) => res.writeHead(200).end(archive));
    after(() => server.close());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const root = tempDir();
    await assert.rejects(
      datasets.CIFAR10({ root, download: true, mirrors: [mirror] }),
      /could not download cifar-10-python\.tar\.gz; nothing was kept:\n.*checksum mismatch/,
    );
    assert.equal(existsSync(join(root, 'cifar-10-python.tar.gz')), false);
    assert.notEqual(md5(archive), 'c58f30108f718f92721af3b95e74349a');
    // With the archive in place (as a finished download leaves it), loading extracts the batches.
    writeFileSync(join(root, 'cifar-10-python.tar.gz'), archive);
    const ds = await datasets.CIFAR10({ root, download: true, mirrors: [mirror] });
    assert.equal(ds.length, 10);
    assert.ok(existsSync(join(root, 'cifar-10-batches-py', 'data_batch_5')));
  });
});
