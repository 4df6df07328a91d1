import { assertDTypeIn, isDType, type DType } from '../core/dtype.js';
import { DTypeError } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { viewValues } from '../core/variable.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { binaryInputs, binaryOpDef } from './binary-def.js';
import { ANY, BOOL, NUMERIC } from './dtype-sets.js';
import { sumToShape } from './grad-util.js';
import { zerosLike } from './creation.js';

const equalOp = binaryOpDef('equal', ANY, true, 'nondifferentiable');
const notEqualOp = binaryOpDef('notEqual', ANY, true, 'nondifferentiable');
const lessOp = binaryOpDef('less', NUMERIC, true, 'nondifferentiable');
const lessEqualOp = binaryOpDef('lessEqual', NUMERIC, true, 'nondifferentiable');
const greaterOp = binaryOpDef('greater', NUMERIC, true, 'nondifferentiable');
const greaterEqualOp = binaryOpDef('greaterEqual', NUMERIC, true, 'nondifferentiable');
const logicalAndOp = binaryOpDef('logicalAnd', BOOL, false, 'nondifferentiable');
const logicalOrOp = binaryOpDef('logicalOr', BOOL, false, 'nondifferentiable');
const logicalXorOp = binaryOpDef('logicalXor', BOOL, false, 'nondifferentiable');

/** a == b element-wise (bool). @example `nb.equal(x, 0)` */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(equalOp, binaryInputs('equal', a, b), undefined);
}
/** a != b element-wise (bool). */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(notEqualOp, binaryInputs('notEqual', a, b), undefined);
}
/** a < b element-wise (bool). */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(lessOp, binaryInputs('less', a, b), undefined);
}
/** a <= b element-wise (bool). */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(lessEqualOp, binaryInputs('lessEqual', a, b), undefined);
}
/** a > b element-wise (bool). @example `nb.greater(x, 0)` */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(greaterOp, binaryInputs('greater', a, b), undefined);
}
/** a >= b element-wise (bool). */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(greaterEqualOp, binaryInputs('greaterEqual', a, b), undefined);
}
/** Logical AND of bool tensors. */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(logicalAndOp, binaryInputs('logicalAnd', a, b), undefined);
}
/** Logical OR of bool tensors. */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(logicalOrOp, binaryInputs('logicalOr', a, b), undefined);
}
/** Logical XOR of bool tensors. */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return runOp1(logicalXorOp, binaryInputs('logicalXor', a, b), undefined);
}

const logicalNotOp: OpDef<void> = {
  name: 'logicalNot',
  infer([x]) {
    assertDTypeIn('logicalNot', 'x', x!.dtype, BOOL);
    return [{ shape: x!.shape, dtype: 'bool' }];
  },
  kernel([x], [out]) {
    kernels().unary('logicalNot', x!, out!, 0, 0);
  },
  grad: 'nondifferentiable',
};
/** Logical NOT of a bool tensor. */
export function logicalNot(x: TensorLike): Tensor {
  return runOp1(logicalNotOp, [toTensor(x, 'logicalNot', 'x')], undefined);
}

const whereOp: OpDef<void> = {
  name: 'where',
  infer([c, a, b]) {
    assertDTypeIn('where', 'condition', c!.dtype, BOOL);
    if (a!.dtype !== b!.dtype) {
      throw new DTypeError(`where: the two branches must have the same dtype, got ${a!.dtype} and ${b!.dtype}; cast one of them.`);
    }
    const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
    return [{ shape, dtype: a!.dtype }];
  },
  kernel([c, a, b], [out]) {
    kernels().where(c!, a!, b!, out!);
  },
  grad: ([dy], [c, a, b]) => {
    const zero = zerosLike(dy!);
    return [null, sumToShape(where(c!, dy!, zero), a!.shape), sumToShape(where(c!, zero, dy!), b!.shape)];
  },
};

/**
 * Picks `a` where `condition` is true and `b` elsewhere (all three broadcast).
 * @example `nb.where(nb.greater(x, 0), x, 0)` (a ReLU)
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor(condition, 'where', 'condition');
  const [ta, tb] = binaryInputs('where', a, b);
  return runOp1(whereOp, [c, ta, tb], undefined);
}

const castOp: OpDef<{ dtype: DType }> = {
  name: 'cast',
  infer([x], { dtype }) {
    if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
    return [{ shape: x!.shape, dtype }];
  },
  kernel([x], [out]) {
    kernels().cast(x!, out!);
  },
  grad: ([dy], [x]) => [x!.dtype === 'float32' ? cast(dy!, 'float32') : null],
};

/**
 * Converts to another dtype. float→int truncates toward zero; anything→bool is `x != 0`.
 * @example `nb.cast(nb.tensor([1.7, -1.7]), 'int32')` → [1, -1]
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = toTensor(x, 'cast', 'x');
  if (t.dtype === dtype) return t;
  return runOp1(castOp, [t], { dtype });
}

const stopGradientOp: OpDef<void> = {
  name: 'stopGradient',
  infer([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  forward([x]) {
    return [new Tensor(x!.shape, x!.dtype, viewValues(x!))];
  },
  grad: () => [null],
};

/** The same values, but gradients do not flow through. @example `nb.stopGradient(target)` */
export function stopGradient(x: TensorLike): Tensor {
  return runOp1(stopGradientOp, [toTensor(x, 'stopGradient', 'x')], undefined);
}

const identityOp: OpDef<void> = {
  name: 'identity',
  infer([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  forward([x]) {
    return [new Tensor(x!.shape, x!.dtype, viewValues(x!))];
  },
  grad: ([dy]) => [dy!],
};

/** The same values as a new tensor (gradients flow through). */
export function identity(x: TensorLike): Tensor {
  return runOp1(identityOp, [toTensor(x, 'identity', 'x')], undefined);
}
