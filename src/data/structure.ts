/**
 * Nested dataset elements (like tf.data's "structures"): a Tensor, an array/tuple of elements, or
 * a record of elements. Helpers here walk, slice and stack them without going through the op
 * engine: pipelines copy rows of contiguous memory, which needs no kernels and no tapes.
 */
import { DTypeError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { formatShape, shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

/** One dataset element: a Tensor, a (readonly) array of elements, or a record of elements. */
export type Element = Tensor | readonly Element[] | { readonly [key: string]: Element };

/** The shape and dtype of one component of an element. */
export interface TensorSpec {
  shape: number[];
  dtype: DType;
}

/** An element's structure with a TensorSpec in place of each tensor. */
export type ElementSpec = TensorSpec | ElementSpec[] | { [key: string]: ElementSpec };

/** One tensor of an element with its path, e.g. `[0]` or `.features.age`. */
export interface Leaf {
  path: string;
  tensor: Tensor;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tensor);
}

/** Every tensor of `el` in a fixed order (arrays by index, records by key order), with its path. */
export function leaves(el: unknown, where: string, path = ''): Leaf[] {
  if (el instanceof Tensor) return [{ path: path || '(element)', tensor: el }];
  if (Array.isArray(el)) return el.flatMap((x, i) => leaves(x, where, `${path}[${i}]`));
  if (isRecord(el)) return Object.keys(el).flatMap((k) => leaves(el[k], where, `${path}.${k}`));
  throw new InvalidArgumentError(
    `${where}: dataset elements must be Tensors, arrays or records of Tensors, but ${path || 'the element'} is ${describe(el)}; wrap numbers with nb.tensor().`,
  );
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? `a ${(x as object).constructor?.name ?? 'object'}` : `${typeof x} ${String(x)}`;
}

/** `el` with every tensor replaced by `fn(tensor, path)`, keeping arrays and records. */
export function mapLeaves(el: unknown, fn: (t: Tensor, path: string) => Tensor, where: string, path = ''): Element {
  if (el instanceof Tensor) return fn(el, path || '(element)');
  if (Array.isArray(el)) return el.map((x, i) => mapLeaves(x, fn, where, `${path}[${i}]`));
  if (isRecord(el)) {
    const out: Record<string, Element> = {};
    for (const k of Object.keys(el)) out[k] = mapLeaves(el[k], fn, where, `${path}.${k}`);
    return out;
  }
  leaves(el, where, path);
  throw new Error('unreachable');
}

/** A string that two elements share exactly when they have the same nesting (not shapes). */
export function structureKey(el: unknown): string {
  if (el instanceof Tensor) return 'T';
  if (Array.isArray(el)) return `[${el.map(structureKey).join(',')}]`;
  if (isRecord(el)) return `{${Object.keys(el).map((k) => `${JSON.stringify(k)}:${structureKey(el[k])}`).join(',')}}`;
  return '?';
}

/** The spec of `el`: its structure with shapes and dtypes in place of tensors. */
export function specOf(el: unknown, where: string): ElementSpec {
  if (el instanceof Tensor) return { shape: [...el.shape], dtype: el.dtype };
  if (Array.isArray(el)) return el.map((x) => specOf(x, where));
  if (isRecord(el)) {
    const out: Record<string, ElementSpec> = {};
    for (const k of Object.keys(el)) out[k] = specOf(el[k], where);
    return out;
  }
  leaves(el, where);
  throw new Error('unreachable');
}

/** Row `i` of `t` (its first dimension removed), copied. */
export function rowOf(t: Tensor, i: number): Tensor {
  const rows = t.shape[0]!;
  const row = rows === 0 ? 0 : t.size / rows;
  return new Tensor(t.shape.slice(1), t.dtype, t.values.slice(i * row, (i + 1) * row));
}

/** Number of rows shared by every tensor of `el` (the slicing dimension); errors name the parts. */
export function rowCount(el: unknown, where: string): number {
  const ls = leaves(el, where);
  if (ls.length === 0) throw new InvalidArgumentError(`${where}: the element holds no tensors; give at least one.`);
  let n: number | null = null;
  let first = '';
  for (const { path, tensor } of ls) {
    if (tensor.rank === 0) {
      throw new ShapeError(`${where}: ${path} is a scalar, but slicing needs a leading dimension; reshape it to [n, ...] or use nb.data.Dataset.fromGenerator.`);
    }
    const rows = tensor.shape[0]!;
    if (n === null) {
      n = rows;
      first = path;
    } else if (rows !== n) {
      throw new ShapeError(`${where}: ${first} has ${n} rows but ${path} has ${rows}; every component needs the same size along axis 0.`);
    }
  }
  return n!;
}

/**
 * Stacks equally structured elements component-wise along a new leading axis.
 * `where` names the batch in errors (e.g. 'Dataset.batch (batch 3)').
 */
export function stackElements(els: readonly unknown[], where: string): Element {
  const first = els[0];
  const key = structureKey(first);
  const firstLeaves = leaves(first, where);
  const all = els.map((el, j) => {
    if (j > 0 && structureKey(el) !== key) {
      throw new InvalidArgumentError(`${where}: element ${j} has structure ${structureKey(el)} but element 0 has ${key}; every element of a batch needs the same structure.`);
    }
    return j === 0 ? firstLeaves : leaves(el, where);
  });
  const stacked = firstLeaves.map(({ path, tensor: t0 }, c) => {
    const row = t0.size;
    const out = new Tensor([els.length, ...t0.shape], t0.dtype);
    all.forEach((ls, j) => {
      const t = ls[c]!.tensor;
      if (!shapesEqual(t.shape, t0.shape)) {
        throw new ShapeError(
          `${where}: component ${path} of element ${j} has shape ${formatShape(t.shape)} but element 0 has ${formatShape(t0.shape)}; batching needs equal shapes — resize or pad elements in a map() first, or batch with size 1.`,
        );
      }
      if (t.dtype !== t0.dtype) {
        throw new DTypeError(`${where}: component ${path} of element ${j} is ${t.dtype} but element 0 is ${t0.dtype}; cast elements to one dtype in a map() first.`);
      }
      out.values.set(t.values, j * row);
    });
    return out;
  });
  let next = 0;
  return mapLeaves(first, () => stacked[next++]!, where);
}
