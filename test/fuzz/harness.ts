// The fuzz loop: seeded inputs of one format fed to its reader. Each input ends accepted, as a
// clear error, as an unclear one (an internal TypeError or RangeError leaking out without naming
// the input: a crash in all but name) or as a hang (past the format's time limit); peak memory is
// sampled.

/** A small seeded generator (mulberry32), so a run can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, drawn with `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A kind of input: how to make one from a seeded generator, how torchlit reads it, and what a clear error is. */
export interface FuzzFormat<T = unknown> {
  /** Builds what the inputs derive from (a valid file, a run directory); run once per process. */
  prepare?(): Promise<void>;
  generate(random: () => number): T;
  read(input: T): unknown;
  clear(error: unknown): boolean;
  /** An input slower than this is a hang (default 1 s). */
  hangMs?: number;
}

export interface FuzzStats {
  format: string;
  tried: number;
  clear: number;
  accepted: number;
  unclear: number;
  hangs: number;
  peakMB: number;
  examples: string[];
}

const TIMED_OUT = Symbol('timed out');

/** Feeds `count` inputs of `format` to its reader. */
export async function fuzz(name: string, format: FuzzFormat, count: number, seed: number): Promise<FuzzStats> {
  await format.prepare?.();
  const random = prng(seed);
  const limit = format.hangMs ?? 1000;
  const stats: FuzzStats = {
    format: name,
    tried: 0,
    clear: 0,
    accepted: 0,
    unclear: 0,
    hangs: 0,
    peakMB: 0,
    examples: [],
  };
  const kinds = new Set<string>();
  const example = (input: unknown, what: string) => {
    const kind = what.replace(/\/tmp\/\S+|\d+/g, '').slice(0, 50);
    if (stats.examples.length >= 8 || kinds.has(kind)) return;
    kinds.add(kind);
    stats.examples.push(`${what} <- ${JSON.stringify(input)?.slice(0, 200)}`);
  };
  for (let n = 0; n < count; n++) {
    const input = format.generate(random);
    if (process.env.TORCHLIT_FUZZ_TRACE) process.stderr.write(`${n} ${JSON.stringify(input)?.slice(0, 300)}\n`);
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        Promise.resolve().then(() => format.read(input)),
        new Promise((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), 10 * limit))),
      ]);
      if (result === TIMED_OUT) throw new Error('never finished');
      stats.accepted++;
    } catch (e) {
      if (format.clear(e)) stats.clear++;
      else {
        stats.unclear++;
        example(
          input instanceof Uint8Array ? `${input.length} bytes` : input,
          e instanceof Error ? e.message : String(e),
        );
      }
    } finally {
      clearTimeout(timer);
    }
    if (performance.now() - t0 > limit) {
      stats.hangs++;
      example(
        input instanceof Uint8Array ? `${input.length} bytes` : input,
        `took ${Math.round(performance.now() - t0)} ms`,
      );
    }
    stats.tried++;
    stats.peakMB = Math.max(stats.peakMB, process.memoryUsage().rss / 2 ** 20);
  }
  stats.peakMB = Math.round(stats.peakMB);
  return stats;
}
