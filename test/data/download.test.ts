import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { datasets } from '../../src/index.js';
import { FASHION_SKIP, requireFashionDir, tempDir } from '../helpers/data.js';

type Behaviour = 'ok' | 'missing' | 'corrupt' | 'cut';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** Serves the Fashion-MNIST files on 127.0.0.1, misbehaving as asked. */
async function mirror(behaviour: Behaviour): Promise<string> {
  const server = createServer((req, res) => {
    const name = (req.url ?? '').split('/').pop()!;
    const path = join(requireFashionDir(), name);
    if (behaviour === 'missing' || !existsSync(path)) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = Buffer.from(readFileSync(path));
    if (behaviour === 'corrupt') body[body.length >> 1] ^= 0xff;
    res.writeHead(200, { 'content-length': body.length });
    if (behaviour === 'cut') {
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      return;
    }
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/fashion/`;
}

const load = (root: string, mirrors: string[]) =>
  datasets.FashionMNIST({ root, train: false, download: true, localCopies: false, mirrors });
const rawDir = (root: string) => join(root, 'FashionMNIST', 'raw');
const kept = (root: string) => (existsSync(rawDir(root)) ? readdirSync(rawDir(root)) : []);

describe('downloading a dataset', { skip: FASHION_SKIP }, () => {
  it('fetches, verifies and caches the files, then loads them', async () => {
    const root = tempDir();
    const ds = await load(root, [await mirror('ok')]);
    assert.equal(ds.length, 10000);
    assert.deepEqual(kept(root).sort(), ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    const again = await load(root, ['http://127.0.0.1:9/unreachable/']);
    assert.equal(again.length, 10000);
  });

  it('a corrupt file fails its checksum and is not kept', async () => {
    const root = tempDir();
    await assert.rejects(
      load(root, [await mirror('corrupt')]),
      /could not download t10k-images-idx3-ubyte\.gz; nothing was kept:\n.*(checksum mismatch|not valid gzip)/,
    );
    assert.deepEqual(kept(root), []);
  });

  it('a 404 on the first mirror falls back to the next', async () => {
    const root = tempDir();
    const ds = await load(root, [await mirror('missing'), await mirror('ok')]);
    assert.equal(ds.length, 10000);
  });

  it('a connection cut mid-file leaves nothing behind and names each mirror', async () => {
    const root = tempDir();
    const cut = await mirror('cut');
    const missing = await mirror('missing');
    await assert.rejects(load(root, [cut, missing]), (e: Error) => {
      assert.ok(e.message.includes(`${cut}t10k-images-idx3-ubyte.gz:`));
      assert.ok(e.message.includes(`${missing}t10k-images-idx3-ubyte.gz: HTTP 404`));
      return true;
    });
    assert.deepEqual(kept(root), []);
    const ds = await load(root, [cut, await mirror('ok')]);
    assert.equal(ds.length, 10000);
  });
});
