import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';

/** Data for one model input or output slot: one tensor, a list (in order), or a record by name. */
export type TensorOrTensors = Tensor | Tensor[] | Record<string, Tensor>;

/**
 * Puts `data` in the order of `names` (the model's input or output names). Records are matched by
 * name; a single tensor fills a single slot.
 */
export function toTensorList(data: TensorOrTensors, names: readonly string[], what: string, where: string): Tensor[] {
  if (data instanceof Tensor) {
    if (names.length > 1) {
      throw new InvalidArgumentError(
        `${where}: the model has ${names.length} ${what}s (${names.join(', ')}) but one tensor was given; pass an array or a record keyed by name.`,
      );
    }
    return [data];
  }
  if (Array.isArray(data)) {
    if (names.length > 0 && data.length !== names.length) {
      throw new InvalidArgumentError(
        `${where}: the model has ${names.length} ${what}(s) (${names.join(', ')}) but ${data.length} arrays were given.`,
      );
    }
    data.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new InvalidArgumentError(`${where}: ${what} ${i} is not a Tensor (got ${typeof t}).`);
    });
    return data;
  }
  if (data !== null && typeof data === 'object') {
    const missing = names.filter((n) => !(n in data));
    if (missing.length > 0) {
      throw new InvalidArgumentError(
        `${where}: no data for ${what}(s) ${missing.join(', ')}; the record has keys ${Object.keys(data).join(', ') || '(none)'}.`,
      );
    }
    return names.map((n) => data[n]!);
  }
  throw new InvalidArgumentError(`${where}: ${what} data must be a Tensor, an array of Tensors or a record of Tensors, got ${String(data)}.`);
}

/** Number of samples (first dim) shared by all tensors; a mismatch is an error naming both. */
export function sampleCount(groups: readonly { label: string; tensors: readonly Tensor[] }[], where: string): number {
  let n: number | null = null;
  let first = '';
  for (const { label, tensors } of groups) {
    tensors.forEach((t, i) => {
      if (t.rank === 0) throw new ShapeError(`${where}: ${label} ${i} is a scalar; data needs a leading batch dimension.`);
      const rows = t.shape[0]!;
      if (n === null) {
        n = rows;
        first = `${label} ${i}`;
      } else if (rows !== n) {
        throw new ShapeError(`${where}: ${first} has ${n} samples but ${label} ${i} has ${rows}; every input and target needs the same number of samples.`);
      }
    });
  }
  return n ?? 0;
}

/** Rows [start, end) of `t`, copied. */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const rows = t.shape[0]!;
  if (start === 0 && end === rows) return t;
  const row = rows === 0 ? 0 : t.size / rows;
  return new Tensor([end - start, ...t.shape.slice(1)], t.dtype, t.values.slice(start * row, end * row));
}

/** The rows of `t` at `indices`, in that order. */
export function gatherRows(t: Tensor, indices: Int32Array): Tensor {
  const rows = t.shape[0]!;
  const row = rows === 0 ? 0 : t.size / rows;
  const out = new Tensor([indices.length, ...t.shape.slice(1)], t.dtype);
  const src = t.values;
  const dst = out.values;
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * row;
    dst.set(src.subarray(from, from + row), i * row);
  }
  return out;
}

/** A seeded permutation of 0..n-1 (follows nb.setSeed). */
export function permutation(n: number): Int32Array {
  return ops.randomShuffle(ops.range(0, n, 1, 'int32')).values as Int32Array;
}

/** Concatenates per-batch outputs along the batch axis. */
export function concatBatches(parts: readonly Tensor[]): Tensor {
  if (parts.length === 1) return parts[0]!;
  return ops.concat([...parts], 0);
}
