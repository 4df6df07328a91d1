/**
 * The iteration behind each Dataset transformation, as async generator functions. Each takes the
 * upstream as a function returning a fresh iterable, so every pass of a dataset restarts its
 * sources; only `cache` keeps elements.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { wrapUserError } from './errors.js';
import { leaves, mapLeaves, rowCount, rowOf, stackElements, structureKey, type Element } from './structure.js';

/** Something a Dataset can iterate afresh. */
export type Source<T> = () => AsyncIterable<T>;

/** Rows of `tensors` (a nested element of tensors with a shared first dimension). */
export async function* slices<T>(tensors: T, where: string): AsyncGenerator<T> {
  const n = rowCount(tensors, where);
  for (let i = 0; i < n; i++) yield mapLeaves(tensors, (t) => rowOf(t, i), where) as T;
}

/** A fresh run of a user generator (sync or async); exceptions it throws name the element. */
export async function* fromUser<T>(fn: () => Iterable<T> | AsyncIterable<T>, where: string): AsyncGenerator<T> {
  let it: Iterable<T> | AsyncIterable<T>;
  try {
    it = fn();
  } catch (e) {
    throw wrapUserError(where, 0, e);
  }
  if (it === null || typeof it !== 'object' || !(Symbol.asyncIterator in it || Symbol.iterator in it)) {
    throw new InvalidArgumentError(`${where}: the function must return an iterable (use function* or async function*), got ${String(it)}.`);
  }
  const iter = Symbol.asyncIterator in it ? it[Symbol.asyncIterator]() : (it as Iterable<T>)[Symbol.iterator]();
  let index = 0;
  try {
    for (;;) {
      let r: IteratorResult<T>;
      try {
        r = await iter.next();
      } catch (e) {
        throw wrapUserError(where, index, e);
      }
      if (r.done) return;
      index++;
      yield r.value;
    }
  } finally {
    await iter.return?.();
  }
}

export async function* range(start: number, stop: number, step: number): AsyncGenerator<Tensor> {
  for (let v = start; step > 0 ? v < stop : v > stop; v += step) yield new Tensor([], 'int32', Int32Array.of(v));
}

export async function* map<T, U>(src: Source<T>, fn: (x: T, index: number) => U | Promise<U>, where: string): AsyncGenerator<U> {
  let i = 0;
  for await (const x of src()) {
    let y: U;
    try {
      y = await fn(x, i);
    } catch (e) {
      throw wrapUserError(where, i, e);
    }
    i++;
    yield y;
  }
}

function truthy(v: unknown, where: string, index: number): boolean {
  if (typeof v === 'boolean') return v;
  if (v instanceof Tensor && v.size === 1) return v.values[0] !== 0;
  throw new InvalidArgumentError(`${where}: the predicate must return a boolean or a scalar bool Tensor, got ${v instanceof Tensor ? `a tensor of shape [${v.shape}]` : String(v)} for element ${index}.`);
}

export async function* filter<T>(src: Source<T>, pred: (x: T, index: number) => unknown, where: string): AsyncGenerator<T> {
  let i = 0;
  for await (const x of src()) {
    let keep: unknown;
    try {
      keep = await pred(x, i);
    } catch (e) {
      throw wrapUserError(where, i, e);
    }
    if (truthy(keep, where, i++)) yield x;
  }
}

export async function* batch<T>(src: Source<T>, size: number, dropRemainder: boolean, where: string): AsyncGenerator<T> {
  let buf: T[] = [];
  let b = 0;
  for await (const x of src()) {
    buf.push(x);
    if (buf.length === size) {
      yield stackElements(buf, `${where} (batch ${b++})`) as T;
      buf = [];
    }
  }
  if (buf.length > 0 && !dropRemainder) yield stackElements(buf, `${where} (batch ${b})`) as T;
}

export async function* unbatch<T>(src: Source<T>, where: string): AsyncGenerator<T> {
  let e = 0;
  for await (const x of src()) {
    const label = `${where} (element ${e++})`;
    const n = rowCount(x, label);
    for (let i = 0; i < n; i++) yield mapLeaves(x, (t) => rowOf(t, i), label) as T;
  }
}

export async function* take<T>(src: Source<T>, count: number): AsyncGenerator<T> {
  if (count === 0) return;
  let i = 0;
  for await (const x of src()) {
    yield x;
    if (++i >= count) return;
  }
}

export async function* skip<T>(src: Source<T>, count: number): AsyncGenerator<T> {
  let i = 0;
  for await (const x of src()) {
    if (i++ >= count) yield x;
  }
}

/** `count` passes (Infinity: forever; stops if a pass yields nothing, so an empty source ends). */
export async function* repeat<T>(src: Source<T>, count: number): AsyncGenerator<T> {
  for (let pass = 0; pass < count; pass++) {
    let any = false;
    for await (const x of src()) {
      any = true;
      yield x;
    }
    if (!any) return;
  }
}

export async function* concatenate<T>(a: Source<T>, b: Source<T>, where: string): AsyncGenerator<T> {
  let key: string | null = null;
  for await (const x of a()) {
    key ??= structureKey(x);
    yield x;
  }
  for await (const x of b()) {
    if (key !== null) {
      const k = structureKey(x);
      if (k !== key) {
        throw new InvalidArgumentError(`${where}: elements of the second dataset have structure ${k} but the first dataset's have ${key}; map them to one structure first.`);
      }
      key = null;
    }
    yield x;
  }
}

/** Elements of all sources side by side, as an array or a record; ends with the shortest. */
export async function* zip(sources: Source<unknown>[], keys: string[] | null): AsyncGenerator<Element> {
  const iters = sources.map((s) => s()[Symbol.asyncIterator]());
  try {
    for (;;) {
      const rs = await Promise.all(iters.map((it) => it.next()));
      if (rs.some((r) => r.done)) return;
      const values = rs.map((r) => r.value as Element);
      if (keys === null) {
        yield values;
      } else {
        const rec: Record<string, Element> = {};
        keys.forEach((k, i) => (rec[k] = values[i]!));
        yield rec;
      }
    }
  } finally {
    await Promise.all(iters.map((it) => it.return?.()));
  }
}

/**
 * Replays the first complete pass from memory. A pass stopped early (by `take`, a `break`) stores
 * nothing, so the next pass reads the source again, as tf.data does.
 */
export function cached<T>(src: Source<T>): Source<T> {
  let store: T[] | null = null;
  return async function* () {
    if (store) {
      yield* store;
      return;
    }
    const filling: T[] = [];
    for await (const x of src()) {
      filling.push(x);
      yield x;
    }
    store ??= filling;
  };
}

/** Checks `x` is a tensor-structured element (for constructors that take arbitrary values). */
export function checkElement(x: unknown, where: string): void {
  leaves(x, where);
}
