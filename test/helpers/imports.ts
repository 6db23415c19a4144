import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Every .ts file under `root`, as paths relative to it with `/` separators. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/**
 * The files each file imports (static, type-only, re-exports and dynamic `import()`), resolved
 * from the `.js` specifiers that ES modules use back to the `.ts` sources; packages are left out.
 */
export function importGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) =>
        relative(root, resolve(root, dirname(file), s.replace(/\.js$/, '.ts')))
          .split(sep)
          .join('/'),
      );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The entry points (index.ts, browser.ts, core.ts) directly in src/ form one layer of their own. */
export const ENTRY_POINTS = '.';

/** The layer of a file: its first folder, or ENTRY_POINTS for a file directly in src/. */
export function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? ENTRY_POINTS : file.slice(0, slash);
}

const describe = (layer: string) => (layer === ENTRY_POINTS ? 'the entry points' : `${layer}/`);

/** Imports that point from a layer to one later in `order` (up the stack), and folders not in `order`. */
export function layerViolations(graph: Map<string, string[]>, order: readonly string[]): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    if (!order.includes(fromLayer)) {
      out.push(`${from}: ${describe(fromLayer)} is not in the layer order`);
      continue;
    }
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (order.indexOf(toLayer) > order.indexOf(fromLayer))
        out.push(`${from} (${describe(fromLayer)}) imports ${to} (${describe(toLayer)}), a layer above it`);
    }
  }
  return out;
}

/** Each import cycle once, as the files around it, starting from its first file in sorted order. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        cycles.set(rotated.join(' -> '), rotated);
      } else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...cycles.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
}

/** The layers in the order of the README's layout table: `| \`backend/\` | ... |` rows, and `| \`index.ts\`...` for the entry points. */
export function readmeLayerOrder(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Layout'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| ---')));
  return [...table.matchAll(/^\| `(?:([a-z_]+)\/|index\.ts)`/gm)].map((m) => m[1] ?? ENTRY_POINTS);
}
