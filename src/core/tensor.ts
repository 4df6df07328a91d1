import { allocArray, type DType, type TypedArray } from './dtype.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { formatShape, sizeOfShape, type Shape } from './shape.js';
import { formatTensor } from './format.js';

/** Nested JavaScript arrays of numbers or booleans, as returned by `arraySync()`. */
export type NestedArray = number | boolean | NestedArray[];

let nextTensorId = 1;

/** Hands out process-unique ids; tapes and graphs key their bookkeeping on them. */
export function newTensorId(): number {
  return nextTensorId++;
}

/**
 * An immutable n-dimensional array of one dtype, stored row-major in a TypedArray that JavaScript
 * owns (the garbage collector frees it; `dispose()` is never required).
 *
 * Create tensors with `nb.tensor`, `nb.zeros`, `nb.randomNormal`, ...; op methods such as
 * `x.add(y)` or `x.matMul(w)` are also available on every tensor.
 *
 * @example
 * ```ts
 * const x = nb.tensor([[1, 2], [3, 4]]);
 * x.shape;          // [2, 2]
 * x.arraySync();    // [[1, 2], [3, 4]]
 * x.print();
 * ```
 */
export class Tensor {
  /** Unique id, used by gradient tapes and graphs. */
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /**
   * The backing storage. Internal: kernels read and write it directly. Treat it as read-only;
   * use `dataSync()` for a copy you may change.
   */
  values: TypedArray;

  constructor(shape: Shape, dtype: DType, values?: TypedArray) {
    this.id = newTensorId();
    this.shape = shape;
    this.dtype = dtype;
    this.size = sizeOfShape(shape);
    if (values === undefined) {
      this.values = allocArray(dtype, this.size);
    } else {
      if (values.length !== this.size) {
        throw new ShapeError(
          `Tensor: ${values.length} values cannot fill shape ${formatShape(shape)}, which needs ${this.size}.`,
        );
      }
      this.values = values;
    }
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values as a flat TypedArray (Float32Array, Int32Array or Uint8Array for bool). */
  dataSync(): TypedArray {
    return this.values.slice();
  }

  /** Like `dataSync()`, as a promise (for tfjs-style code). */
  data(): Promise<TypedArray> {
    return Promise.resolve(this.dataSync());
  }

  /** The values as nested arrays matching the shape (booleans for bool tensors). */
  arraySync(): NestedArray {
    const v = this.values;
    const isBool = this.dtype === 'bool';
    const read = (i: number): number | boolean => (isBool ? v[i] !== 0 : v[i]!);
    if (this.shape.length === 0) return read(0);
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim]!;
      const out: NestedArray[] = new Array(n);
      if (dim === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = read(offset + i);
      } else {
        let stride = 1;
        for (let d = dim + 1; d < this.shape.length; d++) stride *= this.shape[d]!;
        for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /** Like `arraySync()`, as a promise. */
  array(): Promise<NestedArray> {
    return Promise.resolve(this.arraySync());
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new InvalidArgumentError(
        `Tensor.item: only a tensor with one element has an item, this one has shape ${formatShape(this.shape)}; use arraySync().`,
      );
    }
    return this.values[0]!;
  }

  /** No-op kept for TensorFlow.js compatibility: memory is garbage collected. */
  dispose(): void {}

  /** Readable text like TensorFlow's: `tf.Tensor([1. 2.], shape=(2,), dtype=float32)`. */
  toString(): string {
    return formatTensor(this);
  }

  /** Prints `toString()` to stdout. */
  print(): void {
    console.log(this.toString());
  }
}
