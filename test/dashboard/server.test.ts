// The dashboard without a browser: the live.jsonl a run writes (the same numbers as its
// history, through a resume), how the page folds it, and a server that serves only the runs'
// chart data and pictures, to loopback, read-only.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveDashboard, pathSegments, type Dashboard } from '../../src/dashboard/server.js';
import { applyLines, emptyLiveRun, liveRunFromFiles } from '../../src/dashboard/live_state.js';
import type { LiveEvent } from '../../src/run/live_events.js';
import type { History } from '../../src/train/history.js';
import { assertUsageError, torchlit } from '../helpers/cli.js';
import { tempDir } from '../helpers/data.js';
import { rawRequest, statusOf } from '../helpers/http.js';

const events = (dir: string) =>
  readFileSync(join(dir, 'live.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LiveEvent);
const history = (dir: string) => JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as History;

describe('a run’s live.jsonl', () => {
  const dir = tempDir('live-events-');
  const run = join(dir, 'runs', 'mlp');
  const train = (...extra: string[]) =>
    torchlit(dir, 'train', '--model', 'mlp', '--train-size', '640', '--log-interval', '2', '--out', run, ...extra);

  it('holds the losses, learning rates and tests of history.json, and a resumed run folds to the same', () => {
    const first = train('--epochs', '1');
    assert.equal(first.code, 0, first.stderr);
    const once = events(run);
    assert.equal(once[0].event, 'start');
    assert.equal(once.at(-1)!.event, 'end');
    const h = history(run);
    const batches = once.filter((e) => e.event === 'batch');
    assert.deepEqual(
      batches.map((b) => b.loss),
      h.trainLosses,
    );
    assert.deepEqual(
      batches.map((b) => b.examples),
      h.trainCounter,
    );
    assert.deepEqual(
      batches.map((b) => b.lr),
      h.learningRates,
    );
    assert.deepEqual(
      once.flatMap((e) => (e.event === 'test' ? [e.accuracy] : [])),
      h.testAccuracy,
    );
    const end = once.at(-1) as Extract<LiveEvent, { event: 'end' }>;
    assert.equal(end.accuracy, h.testAccuracy.at(-1));

    const second = train('--resume', '--epochs', '2');
    assert.equal(second.code, 0, second.stderr);
    const all = events(run);
    assert.equal(all.filter((e) => e.event === 'start').length, 2, 'the resume appends');
    const folded = emptyLiveRun();
    applyLines(folded, readFileSync(join(run, 'live.jsonl'), 'utf8'));
    const h2 = history(run);
    assert.deepEqual(
      folded.batches.map((b) => b.loss),
      h2.trainLosses,
    );
    assert.deepEqual(
      [...folded.tests.values()].map((t) => t.accuracy),
      h2.testAccuracy,
    );
    assert.equal(folded.end?.accuracy, h2.testAccuracy.at(-1));
  });

  it('a resume after a kill repeats steps, and the later lines replace the earlier ones', () => {
    const run = emptyLiveRun();
    const batch = (step: number, loss: number) =>
      JSON.stringify({
        event: 'batch',
        time: 0,
        step,
        epoch: 1,
        batch: step - 1,
        examples: step,
        loss,
        lr: 0.1,
        samplesPerS: null,
      });
    applyLines(run, [batch(1, 3), batch(3, 2), batch(5, 1), '{"event":"sta'].join('\n'));
    applyLines(run, [batch(3, 2.5), batch(5, 1.5), batch(7, 1)].join('\n'));
    assert.deepEqual(
      run.batches.map((b) => [b.step, b.loss]),
      [
        [1, 3],
        [3, 2.5],
        [5, 1.5],
        [7, 1],
      ],
    );
  });

  it('a run from before live.jsonl is read from its history and metrics', () => {
    const h = history(run);
    const m = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    const r = liveRunFromFiles(h as unknown as Record<string, unknown>, m, {
      model: 'mlp',
      dataset: 'mnist',
      epochs: 2,
    });
    assert.deepEqual(
      r.batches.map((b) => b.loss),
      h.trainLosses,
    );
    assert.equal(r.end?.accuracy, m.testAccuracy);
    assert.equal(r.start?.model, 'mlp');
  });
});

describe('the dashboard server', () => {
  const dir = tempDir('dashboard-server-');
  const runs = join(dir, 'runs');
  let dash: Dashboard;
  before(async () => {
    const r = torchlit(
      dir,
      'train',
      '--model',
      'mlp',
      '--epochs',
      '1',
      '--train-size',
      '320',
      '--out',
      join(runs, 'a'),
    );
    assert.equal(r.code, 0, r.stderr);
    cpSync(join(runs, 'a'), join(runs, 'b b'), { recursive: true });
    rmSync(join(runs, 'b b', '.lock'), { force: true });
    writeFileSync(join(dir, 'secret.json'), '{"secret":1}');
    symlinkSync(join(dir, 'secret.json'), join(runs, 'a', 'link.json'));
    mkdirSync(join(runs, 'not-a-run'));
    writeFileSync(join(runs, 'a', 'partial.jsonl'), '{"a":1}\n{"b":2}\n{"c":');
    dash = await serveDashboard({ root: runs, port: 0 });
  });
  after(() => dash.close());

  it('lists the folder’s runs with their pictures, and serves their files', async () => {
    const listing = JSON.parse((await rawRequest(dash.url, '/api/runs')).body) as {
      name: string;
      pictures: { file: string }[];
    }[];
    assert.deepEqual(
      listing.map((r) => r.name),
      ['a', 'b b'],
    );
    assert.ok(listing[0].pictures.some((p) => p.file === 'predictions.png'));
    const config = await rawRequest(dash.url, '/runs/b%20b/config.json');
    assert.equal(config.status, 200);
    assert.equal((JSON.parse(config.body) as { model: string }).model, 'mlp');
    assert.equal(await statusOf(dash.url, '/runs/a/samples.png'), 200);
    assert.equal(await statusOf(dash.url, '/'), 200);
    assert.equal(await statusOf(dash.url, '/dashboard/client.js'), 200);
  });

  it('answers 404 to every path outside the runs’ chart files, encoded or not', async () => {
    for (const path of [
      '/runs/a/../../secret.json',
      '/runs/%2e%2e/secret.json',
      '/runs/a/..%2f..%2fsecret.json',
      '/runs/a/..%5c..%5csecret.json',
      '/runs/a/%2e%2e%2f%2e%2e%2fsecret.json',
      '/runs/..',
      '/runs/a/%00config.json',
      '/runs/a/config.json%00',
      '/runs/a/link.json',
      '/runs/a/.lock',
      '/runs/a/model.safetensors',
      '/runs/not-a-run/config.json',
      '/runs/a/%zz',
      '//etc/passwd',
      '/dashboard/../../package.json',
      '/viz/tensor.js',
      'http://127.0.0.1/runs/a/config.json',
    ])
      assert.equal(await statusOf(dash.url, path), 404, path);
  });

  it('is read-only and answers only to its own host name', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'])
      assert.equal((await rawRequest(dash.url, '/api/runs', { method })).status, 405, method);
    assert.equal((await rawRequest(dash.url, '/', { headers: { host: 'attacker.example:80' } })).status, 403);
    assert.equal(
      (await rawRequest(dash.url, '/', { headers: { host: `localhost:${new URL(dash.url).port}` } })).status,
      200,
    );
  });

  it('serves live.jsonl from an offset, whole lines only', async () => {
    const first = await rawRequest(dash.url, '/runs/a/partial.jsonl?from=0');
    assert.equal(first.body, '{"a":1}\n{"b":2}\n');
    assert.equal(first.headers['x-next-offset'], '16');
    const next = await rawRequest(dash.url, '/runs/a/partial.jsonl?from=8');
    assert.equal(next.body, '{"b":2}\n');
    assert.equal(next.headers['x-offset'], '8');
    const past = await rawRequest(dash.url, '/runs/a/partial.jsonl?from=999');
    assert.equal(past.headers['x-offset'], '0', 'a file shorter than the offset was replaced: from the start');
  });

  it('splits paths into plain names or refuses them', () => {
    assert.deepEqual(pathSegments('/runs/b%20b/x.json?from=3'), ['runs', 'b b', 'x.json']);
    for (const bad of ['/runs/%2e%2e/x', '/a/./b', '/a%2fb', '/a%5cb', '/%00', '/%E0%A4%A', 'relative'])
      assert.equal(pathSegments(bad), null, bad);
  });
});

describe('torchlit dashboard', () => {
  it('names a missing folder and a port in use', async () => {
    const dir = tempDir('dashboard-cli-');
    assertUsageError(torchlit(dir, 'dashboard', 'nowhere'), /nowhere does not exist/);
    assertUsageError(torchlit(dir, 'dashboard', '--port', '70000'), /--port must be from 0 to 65535/);
    assertUsageError(torchlit(dir, 'train', '--port', '6006'), /--port is the port of --dashboard/);
    mkdirSync(join(dir, 'runs'));
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const port = String((taken.address() as { port: number }).port);
    try {
      assertUsageError(torchlit(dir, 'dashboard', 'runs', '--port', port), new RegExp(`port ${port} is in use`));
    } finally {
      taken.close();
    }
  });
});
