// npm run fuzz [total=70000] [seed=1]: the long fuzz run. Each format runs in a child process, so
// an input that aborts Node counts as a crash instead of ending the run; prints one JSON line per
// format and a table. Runs only when TORCHLIT_FUZZ is set (npm test loads every file under test/).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FORMATS } from './formats.js';
import { fuzz, type FuzzStats } from './harness.js';

const self = fileURLToPath(import.meta.url);

function child(format: string, count: number, seed: number): FuzzStats & { crashes: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [self, '--child', format, String(count), String(seed)], {
    encoding: 'utf8',
    env: process.env,
    timeout: 300_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && line.startsWith('{')) return { ...(JSON.parse(line) as FuzzStats), crashes: 0 };
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  return {
    format,
    tried: 0,
    clear: 0,
    accepted: 0,
    unclear: 0,
    hangs: r.error ? 1 : 0,
    peakMB: 0,
    examples: [`exit ${r.status} after ${seconds} s: ${r.stderr.slice(-300)}`],
    crashes: r.error ? 0 : 1,
  };
}

if (process.env.TORCHLIT_FUZZ) {
  if (process.argv[2] === '--child') {
    const [, , , format, count, seed] = process.argv;
    const stats = await fuzz(format, FORMATS[format], Number(count), Number(seed));
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  } else {
    const total = Number(process.argv[2] ?? 70_000);
    const seed = Number(process.argv[3] ?? 1);
    const formats = Object.keys(FORMATS);
    const t0 = performance.now();
    const rows = formats.map((f, i) => child(f, Math.ceil(total / formats.length), seed + i));
    for (const r of rows) console.log(JSON.stringify(r));
    console.log('\n| format | tried | clear errors | accepted | unclear | crashes | hangs | peak MB |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows)
      console.log(
        `| ${r.format} | ${r.tried} | ${r.clear} | ${r.accepted} | ${r.unclear} | ${r.crashes} | ${r.hangs} | ${r.peakMB} |`,
      );
    const sum = (k: 'tried' | 'unclear' | 'crashes' | 'hangs') => rows.reduce((a, r) => a + r[k], 0);
    console.log(
      `\n${sum('tried')} inputs in ${((performance.now() - t0) / 1000).toFixed(0)} s; unclear ${sum('unclear')}, crashes ${sum('crashes')}, hangs ${sum('hangs')}, peak ${Math.max(...rows.map((r) => r.peakMB))} MB`,
    );
    if (sum('unclear') + sum('crashes') + sum('hangs') > 0) process.exitCode = 1;
  }
}
