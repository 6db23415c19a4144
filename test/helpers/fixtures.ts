import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Tensor } from '../../src/index.js';

/** test/fixtures, from the compiled test in dist/test/helpers. */
export const fixtureDir = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

export interface ModelFixture {
  model: string;
  repr: string;
  target: number[];
  loss: number;
  params: string[];
  tensor(key: string): Tensor;
  /** Every tensor whose key starts with `prefix.`, keyed by the rest. */
  group(prefix: string): Record<string, Tensor>;
}

export function loadModelFixture(name: string): ModelFixture {
  const meta = JSON.parse(readFileSync(`${fixtureDir}${name}.json`, 'utf8')) as Omit<
    ModelFixture,
    'tensor' | 'group'
  > & {
    tensors: Record<string, { shape: number[]; offset: number }>;
  };
  const bin = readFileSync(`${fixtureDir}${name}.bin`);
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const index = meta.tensors;
  const tensor = (key: string) => {
    const entry = index[key];
    if (!entry) throw new Error(`fixture ${name} has no tensor ${key}`);
    const n = entry.shape.reduce((a, b) => a * b, 1);
    return new Tensor(floats.slice(entry.offset, entry.offset + n), entry.shape, 'float32');
  };
  const group = (prefix: string) =>
    Object.fromEntries(
      Object.keys(index)
        .filter((k) => k.startsWith(`${prefix}.`))
        .map((k) => [k.slice(prefix.length + 1), tensor(k)]),
    );
  return { ...meta, tensor, group };
}

/** What scripts/make_fixtures.py writes to reference.json. */
export interface Reference {
  /** A parameter's start and the gradients fed to each optimizer step. */
  p0: number[];
  grads: number[][];
  configs: Record<string, { class: string; options: Record<string, unknown>; steps: number[][] }>;
  steplr: { lr: number; step_size: number; gamma: number; lrs: number[] };
  prints: Record<string, { values: number[]; shape: number[]; dtype: string; requires_grad: boolean; text: string }>;
  random: Record<'rand' | 'randn_small' | 'randn_big' | 'randint' | 'randperm' | 'rand64', number[]>;
}

export function loadReference(): Reference {
  return JSON.parse(readFileSync(`${fixtureDir}reference.json`, 'utf8')) as Reference;
}

/** A fixture value as a number: null is NaN (JSON has none), a boolean 0 or 1. */
export function decodeValue(v: number | boolean | null): number {
  return v === null ? NaN : typeof v === 'boolean' ? Number(v) : v;
}

/**
 * The weights w[i] = 1 + (i % 7) / 4 of the fixture scripts' losses sum(out * w), in out's shape
 * and dtype: a gradient sent to the wrong place changes.
 */
export function gradientWeights(t: Tensor): Tensor {
  return new Tensor(
    Float64Array.from({ length: t.numel() }, (_, i) => 1 + (i % 7) / 4),
    t.shape,
    'float64',
  ).to(t.dtype);
}
