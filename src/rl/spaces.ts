// Action and observation spaces in Gymnasium's shape: Discrete(n) and Box(low, high, shape).
import { InvalidArgumentError } from '../core/errors.js';
import { Rng } from './rng.js';

/** A set of valid actions or observations, with sampling. */
export interface Space<T> {
  /** Shape of one element ([] for Discrete). */
  readonly shape: readonly number[];
  /** A random element (uniform for Discrete and bounded Box). */
  sample(): T;
  /** Whether `x` belongs to the space. */
  contains(x: unknown): x is T;
  /** Reseeds the space's own generator (for reproducible `sample()`). */
  seed(seed: number): void;
  /** Gymnasium-style description, e.g. `Discrete(4)`, `Box(-1.2, 0.6, (2,), float32)`. */
  toString(): string;
}

/**
 * The integers `start, ..., start + n - 1` (Gymnasium's `Discrete`).
 *
 * @example
 * ```ts
 * const s = new nb.rl.Discrete(4);
 * s.sample(); // 0..3
 * s.contains(4); // false
 * ```
 */
export class Discrete implements Space<number> {
  readonly shape: readonly number[] = [];
  private rng: Rng;

  constructor(
    readonly n: number,
    readonly start = 0,
    seed?: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`Discrete: n must be a positive integer, got ${n}.`);
    if (!Number.isInteger(start)) throw new InvalidArgumentError(`Discrete: start must be an integer, got ${start}.`);
    this.rng = new Rng(seed);
  }

  sample(): number {
    return this.start + this.rng.integer(this.n);
  }

  contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  seed(seed: number): void {
    this.rng.reseed(seed);
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/**
 * A box of real vectors `low <= x <= high` (Gymnasium's `Box`), elements as `Float32Array`s
 * in row-major order of `shape`. Bounds may be infinite.
 *
 * @example
 * ```ts
 * const s = new nb.rl.Box([-1.2, -0.07], [0.6, 0.07]);
 * s.contains(new Float32Array([0, 0])); // true
 * ```
 */
export class Box implements Space<Float32Array> {
  readonly shape: readonly number[];
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly size: number;
  private rng: Rng;

  /** `low`/`high`: scalars (with `shape`) or arrays of the box's size. */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], seed?: number) {
    const inferred = shape ?? (typeof low !== 'number' ? [low.length] : typeof high !== 'number' ? [high.length] : undefined);
    if (!inferred) throw new InvalidArgumentError('Box: give a shape when low and high are both scalars.');
    this.shape = [...inferred];
    this.size = this.shape.reduce((a, b) => a * b, 1);
    const fill = (v: number | ArrayLike<number>, what: string): Float32Array => {
      if (typeof v === 'number') return new Float32Array(this.size).fill(v);
      if (v.length !== this.size) throw new InvalidArgumentError(`Box: ${what} has ${v.length} values but shape [${this.shape.join(', ')}] holds ${this.size}.`);
      return Float32Array.from(v);
    };
    this.low = fill(low, 'low');
    this.high = fill(high, 'high');
    for (let i = 0; i < this.size; i++) {
      if (!(this.low[i]! <= this.high[i]!)) throw new InvalidArgumentError(`Box: low[${i}] = ${this.low[i]} is above high[${i}] = ${this.high[i]}.`);
    }
    this.rng = new Rng(seed);
  }

  /** Uniform in bounded dimensions, exponential/normal in unbounded ones (as Gymnasium). */
  sample(): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      const fl = Number.isFinite(lo);
      const fh = Number.isFinite(hi);
      if (fl && fh) out[i] = this.rng.uniform(lo, hi);
      else if (fl) out[i] = lo - Math.log(1 - this.rng.random());
      else if (fh) out[i] = hi + Math.log(1 - this.rng.random());
      else out[i] = this.rng.normal();
    }
    return out;
  }

  contains(x: unknown): x is Float32Array {
    if (!(x instanceof Float32Array) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (!(x[i]! >= this.low[i]! && x[i]! <= this.high[i]!)) return false;
    return true;
  }

  seed(seed: number): void {
    this.rng.reseed(seed);
  }

  toString(): string {
    const same = (a: Float32Array) => a.every((v) => v === a[0]);
    const fmt = (a: Float32Array) => (same(a) ? String(a[0]) : `[${Array.from(a).join(', ')}]`);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), float32)`;
  }
}

/** Describes a value for error messages. */
export function describeValue(x: unknown): string {
  if (x instanceof Float32Array) return `Float32Array(${x.length}) [${Array.from(x.slice(0, 6)).join(', ')}${x.length > 6 ? ', ...' : ''}]`;
  if (typeof x === 'string') return JSON.stringify(x);
  return String(x);
}
