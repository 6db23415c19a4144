// Regenerates test/fixtures/ from PyTorch 1.13 (/usr/bin/python3 with Debian's python3-torch):
// every scripts/make_*_fixtures.py but the safetensors one, which needs Python's safetensors
// (see CONTRIBUTING.md).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scripts = readdirSync(join(root, 'scripts')).filter(
  (f) => /^make_.*fixtures\.py$/.test(f) && f !== 'make_safetensors_fixtures.py',
);
for (const script of scripts) {
  process.stdout.write(`${script}: `);
  execFileSync('/usr/bin/python3', [join(root, 'scripts', script), join(root, 'test', 'fixtures')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
