/**
 * Counter-based random numbers (Philox-4x32-10, Salmon et al. 2011) behind every random op,
 * initializer, shuffle and dropout. A stream is a 64-bit key plus a 128-bit counter; each block of
 * the counter yields four independent 32-bit words, so any part of a stream can be produced
 * without producing what comes before it, and native kernels can reproduce it exactly.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const mid = ah * bl + al * bh + ((al * bl) >>> 16);
  return (ah * bh + Math.floor(mid / 65536)) >>> 0;
}

/**
 * Fills `out[0..3]` with Philox-4x32-10 of counter (c0..c3) under key (k0, k1).
 */
export function philoxBlock(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** A position in a Philox stream. Not exported publicly: users set seeds, not streams. */
export class PhiloxStream {
  private readonly block = new Uint32Array(4);
  private used = 4;
  private counterLo = 0;
  private counterHi = 0;

  constructor(
    private readonly k0: number,
    private readonly k1: number,
  ) {}

  /**
   * The stream's key while nothing has been drawn from it, for kernels that produce the stream's
   * words themselves (word i is lane i mod 4 of block i / 4); null once the stream has been used.
   */
  freshKey(): [number, number] | null {
    return this.used === 4 && this.counterLo === 0 && this.counterHi === 0 ? [this.k0, this.k1] : null;
  }

  /** Next uniformly distributed uint32. */
  nextUint32(): number {
    if (this.used === 4) {
      philoxBlock(this.counterLo, this.counterHi, 0, 0, this.k0, this.k1, this.block);
      this.counterLo = (this.counterLo + 1) >>> 0;
      if (this.counterLo === 0) this.counterHi = (this.counterHi + 1) >>> 0;
      this.used = 0;
    }
    return this.block[this.used++]!;
  }

  /** Uniform in [0, 1) with 24 random bits (exactly representable in float32). */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) * 5.9604644775390625e-8;
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  nextFloatOpenZero(): number {
    return ((this.nextUint32() >>> 8) + 1) * 5.9604644775390625e-8;
  }

  /** Standard normal sample (Box-Muller; the second value of each pair is discarded for simplicity). */
  nextNormal(): number {
    const u1 = this.nextFloatOpenZero();
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n) without modulo bias for n < 2^32. */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    const limit = Math.floor(4294967296 / n) * n;
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

let globalSeed: number | null = null;
let opCounter = 0;
let sessionEntropy = (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) >>> 0;

/**
 * Sets the global random seed. After `setSeed(n)` the same sequence of random calls
 * (random ops, initializers, shuffles, dropout) gives bit-identical results on the same backend.
 *
 * @example
 * ```ts
 * nb.setSeed(42);
 * const a = nb.randomNormal([3]);
 * nb.setSeed(42);
 * const b = nb.randomNormal([3]); // identical to a
 * ```
 */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new TypeError(`setSeed: seed must be a finite number, got ${seed}`);
  globalSeed = Math.trunc(seed) >>> 0;
  opCounter = 0;
}

/** The seed set by `setSeed`, or null when runs are not seeded. */
export function getSeed(): number | null {
  return globalSeed;
}

/**
 * A fresh stream for one random op. With an op-level `seed` the stream depends only on the
 * global and op seeds (as in TensorFlow); otherwise on the global seed and a call counter.
 */
export function nextStream(opSeed?: number): PhiloxStream {
  const base = globalSeed ?? sessionEntropy;
  if (opSeed !== undefined && opSeed !== null) {
    return new PhiloxStream(mix32(base ^ 0x5bd1e995), mix32((Math.trunc(opSeed) >>> 0) ^ 0x27d4eb2f));
  }
  const n = opCounter++;
  if (globalSeed === null) sessionEntropy = mix32(sessionEntropy + 0x9e3779b9);
  return new PhiloxStream(mix32(base), mix32(n + 0x68e31da4));
}
