import { DTypeError } from './errors.js';

/** Element types nabla supports, with TensorFlow's names. */
export type DType = 'float32' | 'int32' | 'bool';

/** The TypedArray that backs each dtype (bool is stored as one byte, 0 or 1). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

export interface DTypeArrayMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'int32' || x === 'bool';
}

/** Allocates a zero-filled array for `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype whose storage is this TypedArray. */
export function dtypeOfArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}

/**
 * TensorFlow does not promote implicitly: both operands of a binary op must have one dtype.
 * Throws a DTypeError naming the op and both dtypes, with the fix.
 */
export function assertSameDType(op: string, a: DType, b: DType): DType {
  if (a !== b) {
    throw new DTypeError(
      `${op}: operands must have the same dtype, got ${a} and ${b}. ` +
        `nabla, like TensorFlow, does not mix dtypes implicitly; convert one with nb.cast(x, '${a}').`,
    );
  }
  return a;
}

/** Throws unless `dtype` is one of `allowed`. */
export function assertDTypeIn(op: string, what: string, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(
      `${op}: ${what} must have dtype ${allowed.join(' or ')}, got ${dtype}. ` +
        `Convert it with nb.cast(x, '${allowed[0]}').`,
    );
  }
}
