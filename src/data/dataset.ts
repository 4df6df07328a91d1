import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import * as it from './iterators.js';
import { prefetch } from './prefetch.js';
import { shuffle, shuffleKeys } from './shuffle.js';
import { rowCount, specOf, type Element, type ElementSpec } from './structure.js';

/** `cardinality()` of a dataset that never ends. */
export const INFINITE = -1;
/** `cardinality()` of a dataset whose size is not known without iterating it. */
export const UNKNOWN = -2;
/** Pass to `prefetch` to let nabla choose the read-ahead. */
export const AUTOTUNE = -1;

export interface BatchOptions {
  /** Drop a last batch smaller than `size` (default false). */
  dropRemainder?: boolean;
}

export interface ShuffleOptions {
  /** Fixes the order: the same seed (and nb.setSeed) gives the same orders on every run. */
  seed?: number;
  /** A new order on each pass over the dataset (default true); false repeats the first order. */
  reshuffleEachIteration?: boolean;
}

function checkCount(value: number, name: string, where: string, allowMinusOne: boolean): number {
  if (!Number.isInteger(value) || value < (allowMinusOne ? -1 : 0)) {
    throw new InvalidArgumentError(`${where}: ${name} must be a ${allowMinusOne ? 'non-negative integer or -1 (all)' : 'non-negative integer'}, got ${String(value)}.`);
  }
  return value;
}

function checkPositive(value: number, name: string, where: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${where}: ${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

/**
 * A pipeline of elements, like `tf.data.Dataset`: built from tensors, generators or files,
 * transformed lazily (`map`, `shuffle`, `batch`, ...) and read with `for await`. Each pass starts
 * the sources afresh; nothing is held in memory except by `cache()` and the buffers of `shuffle`
 * and `prefetch`. An element is a Tensor, an array of elements or a record of elements.
 *
 * @example
 * ```ts
 * const ds = nb.data.Dataset.fromTensorSlices([x, y]).shuffle(1000, {seed: 1}).batch(32).prefetch(2);
 * for await (const [xb, yb] of ds) console.log(xb.shape, yb.shape);
 * await model.fit(ds, {epochs: 5});
 * ```
 */
export class Dataset<T> implements AsyncIterable<T> {
  /** Internal: use the static constructors. */
  constructor(
    private readonly source: it.Source<T>,
    private readonly size: number,
  ) {}

  // ----- constructors ------------------------------------------------------------------------

  /**
   * Slices `tensors` along axis 0: element i holds row i of every tensor, in the same nesting.
   * Every tensor needs the same first dimension.
   *
   * @example
   * ```ts
   * nb.data.Dataset.fromTensorSlices(nb.tensor([[1, 2], [3, 4]]));          // [1, 2], [3, 4]
   * nb.data.Dataset.fromTensorSlices([x, y]);                               // [x[i], y[i]]
   * nb.data.Dataset.fromTensorSlices({age: ages, income: incomes});          // {age, income}
   * ```
   */
  static fromTensorSlices<const T extends Element>(tensors: T): Dataset<T> {
    const where = 'Dataset.fromTensorSlices';
    const n = rowCount(tensors, where);
    return new Dataset(() => it.slices(tensors, where), n);
  }

  /**
   * Elements from a generator function (sync or async); each pass calls `fn` again. The size is
   * unknown (`cardinality()` is -2).
   *
   * @example
   * ```ts
   * const ds = nb.data.Dataset.fromGenerator(async function* () {
   *   for (const file of files) yield await loadImage(file);
   * });
   * ```
   */
  static fromGenerator<T>(fn: () => Iterable<T> | AsyncIterable<T>): Dataset<T> {
    if (typeof fn !== 'function') {
      throw new InvalidArgumentError(`Dataset.fromGenerator: expected a generator function (function* or async function*), got ${String(fn)}.`);
    }
    return new Dataset(() => it.fromUser(fn, 'Dataset.fromGenerator'), UNKNOWN);
  }

  /**
   * int32 scalars `0, 1, ..., stop-1`, or `start, start+step, ...` below `stop` (above it for a
   * negative step), like Python's range.
   *
   * @example
   * ```ts
   * await nb.data.Dataset.range(3).toArray();        // scalars 0, 1, 2
   * nb.data.Dataset.range(10, 0, -2);                // 10, 8, 6, 4, 2
   * ```
   */
  static range(startOrStop: number, stop?: number, step = 1): Dataset<Tensor> {
    const where = 'Dataset.range';
    const [start, end] = stop === undefined ? [0, startOrStop] : [startOrStop, stop];
    for (const [k, v] of [['start', start], ['stop', end], ['step', step]] as const) {
      if (!Number.isInteger(v) || Math.abs(v) > 2147483647) throw new InvalidArgumentError(`${where}: ${k} must be an int32 integer, got ${String(v)}.`);
    }
    if (step === 0) throw new InvalidArgumentError(`${where}: step must not be 0.`);
    const n = Math.max(0, Math.ceil((end - start) / step));
    return new Dataset(() => it.range(start, end, step), n);
  }

  /**
   * Elements of several datasets side by side, as an array (`zip([a, b])` yields `[a_i, b_i]`) or
   * a record (`zip({x: a, y: b})` yields `{x: a_i, y: b_i}`); it ends with the shortest.
   *
   * @example
   * ```ts
   * const pairs = nb.data.Dataset.zip([images, labels]).batch(32);
   * ```
   */
  static zip<const D extends readonly Dataset<unknown>[] | Readonly<Record<string, Dataset<unknown>>>>(
    datasets: D,
  ): Dataset<{ -readonly [K in keyof D]: D[K] extends Dataset<infer E> ? E : never }> {
    const where = 'Dataset.zip';
    const isArray = Array.isArray(datasets);
    const keys = isArray ? null : Object.keys(datasets);
    const list: Dataset<unknown>[] = isArray ? [...(datasets as readonly Dataset<unknown>[])] : Object.values(datasets as Record<string, Dataset<unknown>>);
    if (list.length === 0) throw new InvalidArgumentError(`${where}: needs at least one dataset.`);
    list.forEach((d, i) => {
      if (!(d instanceof Dataset)) throw new InvalidArgumentError(`${where}: ${keys ? `'${keys[i]}'` : `item ${i}`} is not a Dataset.`);
    });
    const sizes = list.map((d) => d.size);
    const size = sizes.every((s) => s === INFINITE) ? INFINITE : sizes.includes(UNKNOWN) ? UNKNOWN : Math.min(...sizes.filter((s) => s >= 0));
    return new Dataset(() => it.zip(list.map((d) => d.source), keys), size) as never;
  }

  // ----- transformations ---------------------------------------------------------------------

  /**
   * Applies `fn` to every element (`fn` may be async). An exception inside `fn` surfaces as a
   * DatasetError naming the element index, with the original error as `cause`.
   *
   * @example
   * ```ts
   * const scaled = ds.map(([x, y]) => [nb.div(x, 255), y] as const);
   * ```
   */
  map<U>(fn: (element: T, index: number) => U | Promise<U>): Dataset<U> {
    if (typeof fn !== 'function') throw new InvalidArgumentError(`Dataset.map: expected a function, got ${String(fn)}.`);
    return new Dataset(() => it.map(this.source, fn, 'Dataset.map'), this.size);
  }

  /**
   * Keeps the elements for which `predicate` returns true (or a scalar bool tensor holding true).
   *
   * @example
   * ```ts
   * const positives = ds.filter(([, y]) => y.item() > 0);
   * ```
   */
  filter(predicate: (element: T, index: number) => boolean | Tensor | Promise<boolean | Tensor>): Dataset<T> {
    if (typeof predicate !== 'function') throw new InvalidArgumentError(`Dataset.filter: expected a function, got ${String(predicate)}.`);
    return new Dataset(() => it.filter(this.source, predicate, 'Dataset.filter'), this.size === INFINITE ? INFINITE : UNKNOWN);
  }

  /**
   * Stacks `size` consecutive elements component-wise into one (a new leading axis). The last
   * batch may be smaller unless `dropRemainder`. Elements of one batch need equal shapes.
   *
   * @example
   * ```ts
   * nb.data.Dataset.range(5).batch(2);                          // [0, 1], [2, 3], [4]
   * nb.data.Dataset.range(5).batch(2, {dropRemainder: true});   // [0, 1], [2, 3]
   * ```
   */
  batch(size: number, options: BatchOptions = {}): Dataset<T> {
    checkPositive(size, 'size', 'Dataset.batch');
    const drop = options.dropRemainder ?? false;
    const n = this.size < 0 ? this.size : drop ? Math.floor(this.size / size) : Math.ceil(this.size / size);
    return new Dataset(() => it.batch(this.source, size, drop, 'Dataset.batch'), n);
  }

  /**
   * Splits each element along its first axis into single elements: the inverse of `batch`.
   *
   * @example
   * ```ts
   * ds.batch(4).unbatch();   // the elements of ds again
   * ```
   */
  unbatch(): Dataset<T> {
    return new Dataset(() => it.unbatch(this.source, 'Dataset.unbatch'), this.size === INFINITE ? INFINITE : UNKNOWN);
  }

  /**
   * Shuffles through a buffer of `bufferSize` elements (tf.data semantics): a buffer as large as
   * the dataset gives a uniform shuffle, 1 keeps the order. With `seed` the order is the same on
   * every run; without, it follows nb.setSeed. Each pass reshuffles unless
   * `reshuffleEachIteration` is false.
   *
   * @example
   * ```ts
   * const ds = nb.data.Dataset.fromTensorSlices([x, y]).shuffle(x.shape[0], {seed: 42}).batch(32);
   * ```
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    checkPositive(bufferSize, 'bufferSize', 'Dataset.shuffle');
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(`Dataset.shuffle: seed must be a finite number, got ${String(options.seed)}.`);
    }
    const keys = shuffleKeys(options.seed);
    const reshuffle = options.reshuffleEachIteration ?? true;
    let pass = 0;
    return new Dataset(() => shuffle(this.source, bufferSize, keys, reshuffle ? pass++ : 0), this.size);
  }

  /**
   * Repeats the dataset `count` times, or forever when `count` is omitted or -1.
   *
   * @example
   * ```ts
   * nb.data.Dataset.range(2).repeat(3);   // 0, 1, 0, 1, 0, 1
   * ```
   */
  repeat(count = -1): Dataset<T> {
    checkCount(count, 'count', 'Dataset.repeat', true);
    const times = count === -1 ? Infinity : count;
    let n: number;
    if (this.size === 0 || count === 0) n = 0;
    else if (this.size < 0) n = this.size;
    else n = count === -1 ? INFINITE : this.size * count;
    return new Dataset(() => it.repeat(this.source, times), n);
  }

  /**
   * The first `count` elements (-1: all).
   *
   * @example
   * ```ts
   * nb.data.Dataset.range(10).take(3);   // 0, 1, 2
   * ```
   */
  take(count: number): Dataset<T> {
    checkCount(count, 'count', 'Dataset.take', true);
    if (count === -1) return this;
    const n = this.size === INFINITE ? count : this.size === UNKNOWN ? UNKNOWN : Math.min(count, this.size);
    return new Dataset(() => it.take(this.source, count), n);
  }

  /**
   * All but the first `count` elements (-1: skip everything).
   *
   * @example
   * ```ts
   * nb.data.Dataset.range(5).skip(3);   // 3, 4
   * ```
   */
  skip(count: number): Dataset<T> {
    checkCount(count, 'count', 'Dataset.skip', true);
    const k = count === -1 ? Infinity : count;
    const n = this.size < 0 ? this.size : Math.max(0, this.size - k);
    return new Dataset(() => it.skip(this.source, k), n);
  }

  /**
   * Reads up to `n` elements ahead asynchronously while the consumer works (`AUTOTUNE`: 2).
   *
   * @example
   * ```ts
   * const ds = nb.data.csv('big.csv', {labelColumn: 'y'}).batch(256).prefetch(2);
   * ```
   */
  prefetch(n: number): Dataset<T> {
    if (n !== AUTOTUNE) checkCount(n, 'n', 'Dataset.prefetch', false);
    const ahead = n === AUTOTUNE ? 2 : n;
    if (ahead === 0) return this;
    return new Dataset(() => prefetch(this.source, ahead), this.size);
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them on later passes
   * (so maps and file reads before it run once).
   *
   * @example
   * ```ts
   * const ds = nb.data.csv('train.csv', {labelColumn: 'y'}).map(normalize).cache().shuffle(1000).batch(32);
   * ```
   */
  cache(): Dataset<T> {
    return new Dataset(it.cached(this.source), this.size);
  }

  /**
   * The elements of this dataset followed by those of `other` (same structure).
   *
   * @example
   * ```ts
   * nb.data.Dataset.range(2).concatenate(nb.data.Dataset.range(5, 7));   // 0, 1, 5, 6
   * ```
   */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new InvalidArgumentError('Dataset.concatenate: other must be a Dataset.');
    const a = this.size;
    const b = other.size;
    const n = a === INFINITE || b === INFINITE ? INFINITE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : a + b;
    return new Dataset(() => it.concatenate(this.source, other.source, 'Dataset.concatenate'), n);
  }

  // ----- reading -----------------------------------------------------------------------------

  /** A fresh pass over the elements: `for await (const x of ds)`. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source()[Symbol.asyncIterator]();
  }

  /**
   * Every element, in order, in an array (the dataset must be finite).
   *
   * @example
   * ```ts
   * const values = (await nb.data.Dataset.range(3).toArray()).map((t) => t.item());   // [0, 1, 2]
   * ```
   */
  async toArray(): Promise<T[]> {
    if (this.size === INFINITE) throw new InvalidArgumentError('Dataset.toArray: the dataset is infinite (repeat() without a count); take(n) first.');
    const out: T[] = [];
    for await (const x of this) out.push(x);
    return out;
  }

  /**
   * Calls `fn` on every element in order (awaiting it when it returns a promise).
   *
   * @example
   * ```ts
   * await ds.forEachAsync((x) => x.print());
   * ```
   */
  async forEachAsync(fn: (element: T, index: number) => unknown): Promise<void> {
    let i = 0;
    for await (const x of this) await fn(x, i++);
  }

  /**
   * The number of elements: a count, `INFINITE` (-1) or `UNKNOWN` (-2), as tf.data reports it.
   *
   * @example
   * ```ts
   * nb.data.Dataset.range(10).batch(3).cardinality();   // 4
   * nb.data.Dataset.range(10).repeat().cardinality();   // -1
   * ```
   */
  cardinality(): number {
    return this.size;
  }

  /**
   * Shapes and dtypes of an element, in its nesting, read from the first element (so it costs
   * producing one; null for an empty dataset). After `batch`, the leading dim is the first
   * batch's size.
   *
   * @example
   * ```ts
   * await nb.data.Dataset.fromTensorSlices([x, y]).elementSpec();   // [{shape: [4], dtype: 'float32'}, ...]
   * ```
   */
  async elementSpec(): Promise<ElementSpec | null> {
    const iter = this[Symbol.asyncIterator]();
    const r = await iter.next();
    await iter.return?.();
    return r.done ? null : specOf(r.value, 'Dataset.elementSpec');
  }
}
