// The per-environment random generator: a Philox stream keyed by the seed given to reset.
import { PhiloxStream } from '../core/random.js';

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A seeded random generator (Philox-4x32-10, as every nabla random draw), one per environment or
 * space, so that `env.reset({seed})` makes an episode reproducible whatever else runs.
 *
 * @example
 * ```ts
 * const rng = new nb.rl.Rng(42);
 * rng.uniform(-0.05, 0.05); rng.integer(4);
 * ```
 */
export class Rng {
  private stream: PhiloxStream;

  /** `seed` omitted: a seed from the clock and Math.random (not reproducible). */
  constructor(seed?: number) {
    this.stream = Rng.streamOf(seed ?? Math.floor(Math.random() * 2 ** 32) ^ Date.now());
  }

  private static streamOf(seed: number): PhiloxStream {
    const s = Math.trunc(seed);
    const lo = s >>> 0;
    const hi = Math.floor(s / 2 ** 32) >>> 0;
    return new PhiloxStream(mix32(lo ^ 0x9e3779b9), mix32(hi ^ 0x85ebca6b));
  }

  /** Restarts the generator from `seed`. */
  reseed(seed: number): void {
    this.stream = Rng.streamOf(seed);
  }

  /** Uniform in [0, 1) (53 random bits). */
  random(): number {
    const hi = this.stream.nextUint32() >>> 5;
    const lo = this.stream.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return this.stream.nextInt(n);
  }

  /** Standard normal sample. */
  normal(): number {
    return this.stream.nextNormal();
  }

  /** An index drawn with the given probabilities (which should sum to 1). */
  categorical(probs: ArrayLike<number>): number {
    const u = this.random();
    let acc = 0;
    for (let i = 0; i < probs.length; i++) {
      acc += probs[i]!;
      if (u < acc) return i;
    }
    return probs.length - 1;
  }

  /** A new seed drawn from this generator (for seeding child generators). */
  nextSeed(): number {
    return this.stream.nextUint32();
  }
}
