import { assertDTypeIn, assertSameDType, type DType } from '../core/dtype.js';
import { broadcastShapes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { BinaryKind } from '../backend/kernels.js';
import type { GradFn, OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';

/** Defines a broadcasting binary op over `allowed` dtypes; comparisons output bool. */
export function binaryOpDef(
  kind: BinaryKind,
  allowed: readonly DType[],
  outputsBool: boolean,
  grad: GradFn<void> | 'nondifferentiable',
): OpDef<void> {
  return {
    name: kind,
    infer([a, b]) {
      const dtype = assertSameDType(kind, a!.dtype, b!.dtype);
      assertDTypeIn(kind, 'operands', dtype, allowed);
      return [{ shape: broadcastShapes(kind, a!.shape, b!.shape), dtype: outputsBool ? 'bool' : dtype }];
    },
    kernel([a, b], [out]) {
      kernels().binary(kind, a!, b!, out!);
    },
    grad,
  };
}

/** Converts both operands, letting a plain number take the other operand's dtype. */
export function binaryInputs(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const aIsPlain = typeof a === 'number' || typeof a === 'boolean' || Array.isArray(a);
  if (aIsPlain) {
    const tb = toTensor(b, op, 'b');
    return [toTensor(a, op, 'a', tb.dtype), tb];
  }
  const ta = toTensor(a, op, 'a');
  return [ta, toTensor(b, op, 'b', ta.dtype)];
}
