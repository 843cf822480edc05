/**
 * Seeded, reproducible randomness. xoshiro128** with a serialisable state, so a checkpoint can
 * store it and a resumed run draws the same numbers. `streamFor(seed, ...keys)` derives an
 * independent stream per (epoch, image, …): results do not depend on scheduling or workers.
 */
export type RngState = [number, number, number, number];

export class Rng {
  #s: Uint32Array;

  constructor(state: RngState) {
    this.#s = Uint32Array.from(state);
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1;
  }

  /** A generator seeded from an integer seed (any 32-bit value). */
  static fromSeed(seed: number): Rng {
    return streamFor(seed);
  }

  state(): RngState {
    return [this.#s[0]!, this.#s[1]!, this.#s[2]!, this.#s[3]!];
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [a, b). */
  uniformRange(a: number, b: number): number {
    return a + (b - a) * this.uniform();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
    if (n > 2 ** 32) return Math.floor(this.uniform() * n);
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x: number;
    do x = this.nextU32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** An independent stream for (seed, ...keys), e.g. streamFor(seed, epoch, imageIndex). */
export function streamFor(seed: number, ...keys: number[]): Rng {
  let h = splitmix32(seed >>> 0);
  for (const k of keys) h = splitmix32((h ^ (k >>> 0)) >>> 0) ^ splitmix32((k / 2 ** 32) >>> 0);
  const state: number[] = [];
  for (let i = 0; i < 4; i++) {
    h = splitmix32((h + 0x9e3779b9) >>> 0);
    state.push(h >>> 0);
  }
  return new Rng(state as RngState);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
