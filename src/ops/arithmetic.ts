import { assertDTypeIn } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { binaryInputs, binaryOpDef } from './binary-def.js';
import { NUMERIC } from './dtype-sets.js';
import { sumToShape } from './grad-util.js';

export const addOp = binaryOpDef('add', NUMERIC, false, ([dy], [a, b]) => [
  sumToShape(dy!, a!.shape),
  sumToShape(dy!, b!.shape),
]);
export const subOp = binaryOpDef('sub', NUMERIC, false, ([dy], [a, b]) => [
  sumToShape(dy!, a!.shape),
  sumToShape(neg(dy!), b!.shape),
]);
export const mulOp = binaryOpDef('mul', NUMERIC, false, ([dy], [a, b]) => [
  sumToShape(mul(dy!, b!), a!.shape),
  sumToShape(mul(dy!, a!), b!.shape),
]);
export const divOp = binaryOpDef('div', NUMERIC, false, ([dy], [a, b]) => [
  sumToShape(div(dy!, b!), a!.shape),
  sumToShape(neg(div(mul(dy!, a!), mul(b!, b!))), b!.shape),
]);

/** Unary negation, needed by the gradients here; the full unary family lives in unary.ts. */
export const negOp: OpDef<void> = {
  name: 'neg',
  infer([x]) {
    assertDTypeIn('neg', 'x', x!.dtype, NUMERIC);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  kernel([x], [out]) {
    kernels().unary('neg', x!, out!, 0, 0);
  },
  grad: ([dy]) => [neg(dy!)],
};

/**
 * a + b, element-wise with broadcasting. @example `nb.add(nb.tensor([1, 2]), 10)` → [11, 12]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryInputs('add', a, b);
  return runOp1(addOp, [ta, tb], undefined);
}

/** a - b, element-wise with broadcasting. @example `nb.sub(x, 1)` */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryInputs('sub', a, b);
  return runOp1(subOp, [ta, tb], undefined);
}

/** a * b, element-wise with broadcasting. @example `nb.mul(x, nb.tensor([1, 2, 3]))` */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryInputs('mul', a, b);
  return runOp1(mulOp, [ta, tb], undefined);
}

/**
 * a / b, element-wise with broadcasting. For int32 operands this is floor division
 * (as in TensorFlow.js). @example `nb.div(x, 2)`
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryInputs('div', a, b);
  return runOp1(divOp, [ta, tb], undefined);
}

/** -x. @example `nb.neg(nb.tensor([1, -2]))` → [-1, 2] */
export function neg(x: TensorLike): Tensor {
  return runOp1(negOp, [toTensor(x, 'neg', 'x')], undefined);
}

