// Prettier for assembly/: AssemblyScript puts decorators on functions and constants (`@inline`),
// which no TypeScript parser accepts, so each one is hidden in a comment while Prettier formats the
// file and restored after. `--check` lists unformatted files and exits 1; `--write` rewrites them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const DECORATOR = /^(\s*)@(inline|unsafe|lazy|global|final|unmanaged|external)\b/gm;
const HIDDEN = /\/\*@(inline|unsafe|lazy|global|final|unmanaged|external)\*\//g;

const mode = process.argv[2];
if (mode !== '--check' && mode !== '--write') {
  console.error('usage: node scripts/format_assembly.mjs --check | --write');
  process.exit(2);
}
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'assembly');
const options = { ...(await prettier.resolveConfig(join(dir, 'index.ts'))), parser: 'typescript' };
const unformatted = [];
for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
  const path = join(dir, name);
  const source = readFileSync(path, 'utf8');
  const hidden = source.replace(DECORATOR, '$1/*@$2*/');
  const formatted = (await prettier.format(hidden, { ...options, filepath: path })).replace(HIDDEN, '@$1');
  if (formatted === source) continue;
  unformatted.push(`assembly/${name}`);
  if (mode === '--write') writeFileSync(path, formatted);
}
if (mode === '--check' && unformatted.length > 0) {
  console.error(`Not formatted (npm run format fixes them):\n  ${unformatted.join('\n  ')}`);
  process.exit(1);
}
