import { allocArray, dtypeOfArray, isDType, type DType, type TypedArray } from '../core/dtype.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { assertValidShape, formatShape, sizeOfShape, type Shape } from '../core/shape.js';
import { Tensor, type NestedArray } from '../core/tensor.js';

/** Anything that can become a tensor: a tensor, a number, a boolean, nested arrays, a TypedArray. */
export type TensorLike = Tensor | number | boolean | NestedArray | TypedArray | readonly NestedArray[];

function inferShape(values: unknown, op: string): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flatten(values: unknown, shape: readonly number[], dim: number, out: unknown[], op: string): void {
  if (dim === shape.length) {
    if (Array.isArray(values)) {
      throw new ShapeError(`${op}: nested arrays are ragged; expected a scalar at depth ${dim}, found an array. Every row must have the same length.`);
    }
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError(
      `${op}: nested arrays are ragged; expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(values) ? values.length : 'a scalar'}. Every row must have the same length.`,
    );
  }
  for (const v of values) flatten(v, shape, dim + 1, out, op);
}

function fillArray(dtype: DType, flat: readonly unknown[], op: string): TypedArray {
  const arr = allocArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === 'boolean') arr[i] = v ? 1 : 0;
    else if (typeof v === 'number') {
      if (dtype === 'int32' && !Number.isInteger(v) && Number.isFinite(v)) {
        throw new DTypeError(`${op}: value ${v} is not an integer and cannot be stored as int32; round it first or use dtype 'float32'.`);
      }
      arr[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
    } else {
      throw new InvalidArgumentError(`${op}: expected numbers or booleans, got ${typeof v} (${String(v)}).`);
    }
  }
  return arr;
}

/**
 * Creates a tensor from nested arrays, a flat array with a shape, a TypedArray, or a scalar.
 * Numbers default to float32, booleans to bool.
 *
 * @example
 * ```ts
 * nb.tensor([[1, 2], [3, 4]]);                 // float32, shape [2,2]
 * nb.tensor([1, 2, 3, 4], [2, 2], 'int32');
 * nb.tensor(new Float32Array([1, 2, 3]));
 * ```
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  const op = 'tensor';
  if (dtype !== undefined && !isDType(dtype)) {
    throw new DTypeError(`${op}: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
  }
  if (shape !== undefined) assertValidShape(op, shape);
  if (values instanceof Tensor) {
    if (shape !== undefined && sizeOfShape(shape) !== values.size) {
      throw new ShapeError(`${op}: shape ${formatShape(shape)} does not fit ${values.size} values.`);
    }
    return new Tensor(shape ?? values.shape, dtype ?? values.dtype, convertValues(values.values, dtype ?? values.dtype));
  }
  if (ArrayBuffer.isView(values)) {
    const src = values as TypedArray;
    const dt = dtype ?? dtypeOfArray(src);
    const s = shape ?? [src.length];
    if (sizeOfShape(s) !== src.length) {
      throw new ShapeError(`${op}: ${src.length} values cannot fill shape ${formatShape(s)}, which needs ${sizeOfShape(s)}.`);
    }
    return new Tensor(s, dt, convertValues(src, dt));
  }
  const inferred = inferShape(values, op);
  const flat: unknown[] = [];
  flatten(values, inferred, 0, flat, op);
  const dt = dtype ?? (typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  let s: Shape = inferred;
  if (shape !== undefined) {
    if (sizeOfShape(shape) !== flat.length) {
      if (flat.length === 1) {
        const arr = allocArray(dt, sizeOfShape(shape));
        arr.fill(fillArray(dt, flat, op)[0]!);
        return new Tensor(shape, dt, arr);
      }
      throw new ShapeError(`${op}: ${flat.length} values cannot fill shape ${formatShape(shape)}, which needs ${sizeOfShape(shape)}.`);
    }
    s = shape;
  }
  return new Tensor(s, dt, fillArray(dt, flat, op));
}

function convertValues(src: TypedArray, dtype: DType): TypedArray {
  if (dtypeOfArray(src) === dtype) return src.slice();
  const out = allocArray(dtype, src.length);
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
  else out.set(src);
  return out;
}

/**
 * Converts an op argument to a tensor. Plain numbers take `dtypeHint` (the other operand's dtype),
 * as TensorFlow converts Python scalars; a non-integer number for an int32 op is an error.
 */
export function toTensor(x: TensorLike, op: string, arg: string, dtypeHint?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const dtype = dtypeHint ?? 'float32';
    if (dtype === 'int32' && !Number.isInteger(x) && Number.isFinite(x)) {
      throw new DTypeError(`${op}: ${arg} is ${x}, which cannot be converted to the int32 of the other operand; cast the tensor to float32 first.`);
    }
    if (dtype === 'bool') {
      throw new DTypeError(`${op}: ${arg} is the number ${x} but the other operand is bool; use a boolean or cast.`);
    }
    const arr = allocArray(dtype, 1);
    arr[0] = x;
    return new Tensor([], dtype, arr);
  }
  if (typeof x === 'boolean') return new Tensor([], 'bool', new Uint8Array([x ? 1 : 0]));
  if (x === null || x === undefined) {
    throw new InvalidArgumentError(`${op}: ${arg} is ${String(x)}; expected a tensor, number or array.`);
  }
  return tensor(x, undefined, dtypeHint === 'bool' ? undefined : dtypeHint);
}

/** A rank-0 tensor. @example `nb.scalar(3.5)` */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'));
}

/** A tensor of `shape` filled with `value`. @example `nb.fill([2, 3], 7)` */
export function fill(shape: Shape, value: number | boolean, dtype?: DType): Tensor {
  assertValidShape('fill', shape);
  const dt = dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const arr = allocArray(dt, sizeOfShape(shape));
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  if (dt === 'int32' && !Number.isInteger(v)) {
    throw new DTypeError(`fill: value ${v} is not an integer and cannot fill an int32 tensor.`);
  }
  if (v !== 0) arr.fill(v);
  return new Tensor(shape.slice(), dt, arr);
}

/** Zeros of `shape`. @example `nb.zeros([2, 3])` */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** Ones of `shape`. @example `nb.ones([2, 3], 'int32')` */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor): Tensor {
  return ones(x.shape, x.dtype);
}

/**
 * Numbers from `start` (inclusive) to `stop` (exclusive) by `step`, like TensorFlow's range.
 * With one argument, counts from 0.
 *
 * @example
 * ```ts
 * nb.range(5);          // [0, 1, 2, 3, 4]
 * nb.range(1, 2, 0.25); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function range(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) {
    throw new InvalidArgumentError(`range: step must be a finite non-zero number, got ${step}.`);
  }
  const dt = dtype ?? (Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step) ? 'int32' : 'float32');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const arr = allocArray(dt, n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return new Tensor([n], dt, arr);
}

/** `num` evenly spaced values from `start` to `stop`, both included. @example `nb.linspace(0, 1, 5)` */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 0) {
    throw new InvalidArgumentError(`linspace: num must be a non-negative integer, got ${num}.`);
  }
  const arr = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) arr[i] = start + i * step;
  if (num > 1) arr[num - 1] = stop;
  return new Tensor([num], 'float32', arr);
}

/**
 * Identity matrix (or a batch of them).
 * @example `nb.eye(3)`; `nb.eye(2, 3)`; `nb.eye(2, 2, [4])` for shape [4,2,2]
 */
export function eye(numRows: number, numColumns = numRows, batchShape: Shape = [], dtype: DType = 'float32'): Tensor {
  assertValidShape('eye', [numRows, numColumns, ...batchShape]);
  const shape = [...batchShape, numRows, numColumns];
  const arr = allocArray(dtype, sizeOfShape(shape));
  const per = numRows * numColumns;
  const batch = sizeOfShape(batchShape);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < Math.min(numRows, numColumns); i++) arr[b * per + i * numColumns + i] = 1;
  }
  return new Tensor(shape, dtype, arr);
}
