const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** A generator's whole state (Mersenne Twister and the cached normal), as JSON-safe numbers. */
export interface GeneratorState {
  seed: number;
  mt: number[];
  next: number;
  left: number;
  /** The second normal of the last Box-Muller pair, not yet used (absent in states saved before it was kept). */
  normal?: number | null;
}

/**
 * A seeded Mersenne Twister (MT19937) producing the same 32-bit stream as PyTorch's CPU
 * generator, so `manualSeed(s)` followed by `rand`, `randint`, `randperm` or default layer
 * initialisation gives PyTorch's numbers for the same seed.
 */
export class Generator {
  private mt = new Uint32Array(N);
  private nextIndex = 0;
  private left = 1;
  private seedValue = 0;
  /** PyTorch's next_double_normal_sample: the pair's second value, returned by the next scalar draw. */
  private nextNormal: number | null = null;

  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  /**
   * Reseeds this generator.
   * @pytorch `torch.Generator.manual_seed`
   */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed) || !Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
    this.seedValue = seed;
    const mt = this.mt;
    mt[0] = Number(BigInt.asUintN(32, BigInt(seed)));
    for (let j = 1; j < N; j++) {
      const prev = mt[j - 1] ^ (mt[j - 1] >>> 30);
      mt[j] = (Math.imul(1812433253, prev) + j) >>> 0;
    }
    this.left = 1;
    this.nextIndex = 0;
    this.nextNormal = null;
    return this;
  }

  /**
   * The seed this generator was last seeded with.
   * @pytorch `torch.Generator.initial_seed`
   */
  initialSeed(): number {
    return this.seedValue;
  }

  /**
   * A copy of the state, to restore with `setState`.
   * @pytorch `torch.Generator.get_state`
   */
  getState(): GeneratorState {
    return {
      seed: this.seedValue,
      mt: Array.from(this.mt),
      next: this.nextIndex,
      left: this.left,
      normal: this.nextNormal,
    };
  }

  /**
   * Restores a state from `getState`.
   * @pytorch `torch.Generator.set_state`
   */
  setState(state: GeneratorState): this {
    if (!state || !Array.isArray(state.mt) || state.mt.length !== N) {
      throw new TypeError(`invalid generator state: expected an object with an mt array of ${N} numbers`);
    }
    this.mt.set(state.mt);
    this.seedValue = state.seed;
    this.nextIndex = state.next;
    this.left = state.left;
    this.nextNormal = state.normal ?? null;
    return this;
  }

  /** Next 32-bit unsigned integer. */
  random(): number {
    if (--this.left === 0) this.twist();
    let y = this.mt[this.nextIndex++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** The next `out.length` 32-bit unsigned integers, as `random()` would give them one by one. */
  randomInto(out: Uint32Array): void {
    const mt = this.mt;
    for (let i = 0; i < out.length;) {
      if (this.left === 1) {
        this.twist();
        this.left = N + 1;
      }
      const count = Math.min(out.length - i, this.left - 1);
      let k = this.nextIndex;
      for (const end = i + count; i < end; i++) {
        let y = mt[k++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        out[i] = y;
      }
      this.nextIndex = k;
      this.left -= count;
    }
  }

  /**
   * out[i] = `hit` where a 53-bit uniform (two draws, as `uniform53`) is below `p`, else 0: PyTorch's
   * CPU bernoulli_(p), draw for draw. The second draw of a pair decides only when the first ties
   * with p's high bits (one time in 2^21), so it is tempered only then.
   */
  bernoulliInto(out: Float32Array | Float64Array | Uint8Array, p: number, hit: number): void {
    const limit = p * 9007199254740992;
    const limitHi = Math.floor(limit / 4294967296);
    const limitLo = limit - limitHi * 4294967296;
    const mt = this.mt;
    const draws = 2 * out.length;
    let hi = -1;
    let at = 0;
    for (let done = 0; done < draws;) {
      if (this.left === 1) {
        this.twist();
        this.left = N + 1;
      }
      const count = Math.min(draws - done, this.left - 1);
      let k = this.nextIndex;
      for (const end = done + count; done < end; done++) {
        let y = mt[k++];
        if (hi < 0) {
          y ^= y >>> 11;
          y ^= (y << 7) & 0x9d2c5680;
          y ^= (y << 15) & 0xefc60000;
          y ^= y >>> 18;
          hi = y & 0x1fffff;
          continue;
        }
        let below = hi < limitHi;
        if (hi === limitHi) {
          y ^= y >>> 11;
          y ^= (y << 7) & 0x9d2c5680;
          y ^= (y << 15) & 0xefc60000;
          y ^= y >>> 18;
          below = y >>> 0 < limitLo;
        }
        out[at++] = below ? hit : 0;
        hi = -1;
      }
      this.nextIndex = k;
      this.left -= count;
    }
  }

  /** Uniform in [0, 1) with 24 random bits, as PyTorch draws float32 values. */
  uniform24(): number {
    return (this.random() & 0xffffff) * 5.9604644775390625e-8;
  }

  /** Uniform in [0, 1) with 53 random bits, as PyTorch draws float64 values. */
  uniform53(): number {
    const hi = this.random();
    const lo = this.random();
    return ((hi & 0x1fffff) * 4294967296 + lo) * 2 ** -53;
  }

  /** A 64-bit draw (two 32-bit ones, the first high) as a BigInt, as PyTorch's random64. */
  random64(): bigint {
    const hi = this.random();
    return (BigInt(hi) << 32n) | BigInt(this.random());
  }

  /**
   * One standard normal as PyTorch's scalar normal_distribution<double> draws it: Box-Muller over
   * two 53-bit uniforms gives a pair; the second is kept for the next call.
   */
  normal(): number {
    if (this.nextNormal !== null) {
      const cached = this.nextNormal;
      this.nextNormal = null;
      return cached;
    }
    const u1 = this.uniform53();
    const u2 = this.uniform53();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.nextNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  private twist(): void {
    const mt = this.mt;
    this.left = N;
    this.nextIndex = 0;
    let p = 0;
    for (; p < N - M; p++) {
      const v = mt[p + 1];
      mt[p] = mt[p + M] ^ (((mt[p] & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
    }
    for (; p < N - 1; p++) {
      const v = mt[p + 1];
      mt[p] = mt[p + M - N] ^ (((mt[p] & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
    }
    const v = mt[0];
    mt[N - 1] = mt[M - 1] ^ (((mt[N - 1] & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
  }
}

/**
 * The global generator that random functions use without a `generator` option.
 * @pytorch `torch.default_generator`
 */
export const defaultGenerator = new Generator();

/**
 * Seeds the global generator; returns it.
 * @pytorch `torch.manual_seed`
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
