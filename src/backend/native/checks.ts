import { DTypeError, InvalidArgumentError, NablaError, ShapeError } from '../../core/errors.js';
import type { TensorData } from '../kernels.js';

/** Elements a shape describes. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when the tensor is float32 and stored in a Float32Array (what the native kernels take). */
export function isFloat32(t: TensorData): t is TensorData & { values: Float32Array } {
  return t.dtype === 'float32' && t.values instanceof Float32Array;
}

/**
 * Throws a ShapeError unless `t` holds as many values as its shape describes, and a DTypeError
 * when its values are not stored in the array type of its dtype.
 */
export function checkTensor(op: string, name: string, t: TensorData): void {
  const want = t.dtype === 'float32' ? Float32Array : t.dtype === 'int32' ? Int32Array : Uint8Array;
  if (!(t.values instanceof want)) {
    throw new DTypeError(`${op}: ${name} has dtype ${t.dtype} but its values are a ${t.values.constructor.name}, not a ${want.name}.`);
  }
  const size = sizeOf(t.shape);
  if (t.values.length !== size) {
    throw new ShapeError(
      `${op}: ${name} has ${t.values.length} values but its shape [${t.shape.join(',')}] needs ${size}.`,
    );
  }
}

const errorTypes: Record<string, new (message: string) => NablaError> = {
  ShapeError,
  DTypeError,
  InvalidArgumentError,
};

/**
 * Runs a call into the addon, rethrowing its argument errors (tagged with `nablaType` on the
 * native side) as nabla's typed errors.
 */
export function callNative(call: () => void): void {
  try {
    call();
  } catch (e) {
    const type = (e as { nablaType?: string }).nablaType;
    const ErrorType = type === undefined ? undefined : errorTypes[type];
    if (ErrorType) throw new ErrorType((e as Error).message);
    throw e;
  }
}
