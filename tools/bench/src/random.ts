// A seeded pseudo-random generator (sfc32, seeded through splitmix32): the same seed gives the same
// sequence on every machine. Only integer arithmetic and exact divisions, so no platform-dependent
// floating point (no Math.log or Math.pow) decides a draw.

const TWO_POW_32 = 4294967296;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed`: an integer from 0 to 2³²−1. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) {
      throw new RangeError(`seed must be an integer from 0 to ${TWO_POW_32 - 1}, not ${seed}`);
    }
    const init = splitmix32(seed);
    this.a = init();
    this.b = init();
    this.c = init();
    this.d = init();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** An integer from 0 to `n` − 1. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, not ${n}`);
    return Math.floor((this.next() / TWO_POW_32) * n);
  }

  /** An integer from `min` to `max`, both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `percent` / 100. */
  percent(percent: number): boolean {
    return this.int(100) < percent;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.int(items.length)]!;
  }

  /** One of `choices`, each as likely as its (integer) weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let draw = this.int(total);
    for (const [value, weight] of choices) {
      if (draw < weight) return value;
      draw -= weight;
    }
    throw new RangeError('weighted() needs a positive total weight');
  }

  /** The list in a random order (a new array). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/**
 * Draws from a list where the item of rank r (from 0) is picked in proportion to 1 / (r + 1): a
 * Zipf distribution, the skew of real tag counts, library popularity and team sizes.
 */
export class Zipf<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(readonly items: readonly T[]) {
    if (items.length === 0) throw new RangeError('Zipf needs at least one item');
    let sum = 0;
    for (let rank = 0; rank < items.length; rank++) {
      sum += Math.floor(1_000_000 / (rank + 1));
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  draw(random: Random): T {
    const target = random.int(this.total);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return this.items[low]!;
  }

  /** Up to `count` distinct items (fewer when the list is shorter or draws keep repeating). */
  drawDistinct(random: Random, count: number): T[] {
    const chosen = new Set<T>();
    for (let tries = 0; chosen.size < Math.min(count, this.items.length) && tries < count * 4; tries++) {
      chosen.add(this.draw(random));
    }
    return [...chosen];
  }
}
