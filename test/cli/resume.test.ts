import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { History } from '../../src/index.js';
import { startTorchlit, torchlit } from '../helpers/cli.js';
import { tempDir } from '../helpers/data.js';

// Two epochs of 40 batches with dropout, a checkpoint after every batch: kills land in saves.
const args = [
  'train',
  '--model',
  'net',
  '--epochs',
  '2',
  '--train-size',
  '2560',
  '--log-interval',
  '4',
  '--checkpoint-every',
  '1',
];

/** Starts the run (or resumes it once it has a config) and kills it with SIGKILL when `when` says so. */
function killedRun(cwd: string, out: string, when: (stdout: string, elapsedMs: number) => boolean): Promise<boolean> {
  const resume = existsSync(join(cwd, out, 'config.json')) ? ['--resume'] : [];
  const child = startTorchlit(cwd, ...args, '--out', out, ...resume);
  const start = Date.now();
  let stdout = '';
  return new Promise((resolve) => {
    const check = () => {
      if (child.exitCode === null && child.signalCode === null && when(stdout, Date.now() - start))
        child.kill('SIGKILL');
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    const timer = setInterval(check, 5);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}

function weights(dir: string): Buffer[] {
  return ['model.safetensors', 'optimizer.safetensors'].map((f) => readFileSync(join(dir, f)));
}

function historyWithoutTime(dir: string): unknown {
  const { trainTimeS: _, ...rest } = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as History;
  return rest;
}

describe('a run killed with SIGKILL resumes to the same weights', () => {
  it('killed right after log lines (checkpoint being written) and at random moments', async () => {
    const cwd = tempDir('torchlit-resume-');
    const straight = torchlit(cwd, ...args, '--out', 'straight');
    assert.equal(straight.code, 0, straight.stderr);

    const kills = [
      // On the log line of batch 4: the checkpoint of that batch is being written.
      (out: string) => /Train Epoch: 1 \[256\//.test(out),
      // Near the end of epoch 1: its last batches, its test or its checkpoint.
      (out: string) => /Train Epoch: 1 \[2304\//.test(out),
      // Somewhere in epoch 2.
      (out: string) => /Train Epoch: 2 \[512\//.test(out),
    ];
    let killed = 0;
    for (const when of kills) if (await killedRun(cwd, 'killed', when)) killed++;
    // And a few at random moments, whatever the run is doing by then.
    for (let i = 0; i < 3; i++) {
      const delay = 150 + Math.random() * 900;
      if (await killedRun(cwd, 'killed', (_, ms) => ms > delay)) killed++;
    }
    assert.ok(killed >= 3, `the run was killed ${killed} times`);
    const finish = torchlit(cwd, ...args, '--out', 'killed', '--resume');
    assert.equal(finish.code, 0, finish.stderr);
    assert.match(finish.stdout, /Resuming from killed\/checkpoint\.json/);

    const [model, optimizer] = weights(join(cwd, 'killed'));
    const [model0, optimizer0] = weights(join(cwd, 'straight'));
    assert.ok(model.equals(model0), 'model.safetensors is byte-identical to the uninterrupted run');
    assert.ok(optimizer.equals(optimizer0), 'optimizer.safetensors is byte-identical to the uninterrupted run');
    assert.deepEqual(historyWithoutTime(join(cwd, 'killed')), historyWithoutTime(join(cwd, 'straight')));
    const leftovers = readdirSync(join(cwd, 'killed')).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, [], 'no temporary files left behind');
  });
});

describe('a run of zero epochs', () => {
  it('saves the untrained model, and --resume --epochs 1 trains as a fresh one-epoch run', () => {
    const cwd = tempDir('torchlit-epochs0-');
    const small = ['train', '--model', 'net', '--train-size', '256', '--log-interval', '2'];
    const zero = torchlit(cwd, ...small, '--epochs', '0', '--out', 'zero');
    assert.equal(zero.code, 0, zero.stderr);
    assert.ok(existsSync(join(cwd, 'zero', 'model.safetensors')), 'the untrained model is saved');
    assert.ok(existsSync(join(cwd, 'zero', 'predictions.png')), 'and drawn');
    const resumed = torchlit(cwd, ...small, '--epochs', '1', '--out', 'zero', '--resume');
    assert.equal(resumed.code, 0, resumed.stderr);
    const straight = torchlit(cwd, ...small, '--epochs', '1', '--out', 'one');
    assert.equal(straight.code, 0, straight.stderr);
    assert.ok(weights(join(cwd, 'zero'))[0].equals(weights(join(cwd, 'one'))[0]), 'the same weights as a fresh run');
  });
});
