import type { Tensor } from '../core/tensor.js';
import { runOp1, type OpDef } from './engine.js';
import { zerosLike, type TensorLike } from './creation.js';
import { binaryInputs, binaryOpDef } from './binary-def.js';
import { NUMERIC } from './dtype-sets.js';
import { sumToShape } from './grad-util.js';
import { mul, neg, sub } from './arithmetic.js';
import { greater, greaterEqual, lessEqual, where } from './logical.js';
import { log } from './unary.js';

/** Gradients only flow through float operands; integer ops have none (as in TensorFlow). */
function isFloatPair(a: Tensor, b: Tensor): boolean {
  return a.dtype === 'float32' && b.dtype === 'float32';
}

export const powOp = binaryOpDef('pow', NUMERIC, false, ([dy], [a, b], [y], _attrs, needed) => {
  if (!isFloatPair(a!, b!)) return [null, null];
  const da = needed?.[0] === false ? null : sumToShape(mul(dy!, mul(b!, pow(a!, sub(b!, 1)))), a!.shape);
  // Constant exponents (x ** 1.25) need no db: skip its log and two selects over all of a.
  if (needed?.[1] === false) return [da, null];
  // d(a^b)/db = a^b·log(a) is only real for a > 0; TensorFlow uses 0 elsewhere.
  const positive = greater(a!, 0);
  const safeLog = log(where(positive, a!, 1));
  const db = where(positive, mul(dy!, mul(y!, safeLog)), 0);
  return [da, sumToShape(db, b!.shape)];
});

/** The gradient goes to `a` where `aWins` holds and to `b` elsewhere (ties go to `a`). */
function routeToWinner(dy: Tensor, a: Tensor, b: Tensor, aWins: Tensor): Tensor[] {
  const zero = zerosLike(dy);
  return [sumToShape(where(aWins, dy, zero), a.shape), sumToShape(where(aWins, zero, dy), b.shape)];
}

export const maximumOp = binaryOpDef('maximum', NUMERIC, false, ([dy], [a, b]) =>
  routeToWinner(dy!, a!, b!, greaterEqual(a!, b!)),
);
export const minimumOp = binaryOpDef('minimum', NUMERIC, false, ([dy], [a, b]) =>
  routeToWinner(dy!, a!, b!, lessEqual(a!, b!)),
);
export const squaredDifferenceOp = binaryOpDef('squaredDifference', NUMERIC, false, ([dy], [a, b]) => {
  const da = mul(dy!, mul(sub(a!, b!), 2));
  return [sumToShape(da, a!.shape), sumToShape(neg(da), b!.shape)];
});
export const floorDivOp = binaryOpDef('floorDiv', NUMERIC, false, 'nondifferentiable');
/** TensorFlow's FloorMod gradient: a - floor(a/b)·b, so da = dy and db = -dy·floor(a/b). */
export const modOp = binaryOpDef('mod', NUMERIC, false, ([dy], [a, b]) => [
  sumToShape(dy!, a!.shape),
  sumToShape(mul(dy!, neg(floorDiv(a!, b!))), b!.shape),
]);

function runBinary(op: OpDef<void>, a: TensorLike, b: TensorLike): Tensor {
  return runOp1(op, binaryInputs(op.name, a, b), undefined);
}

/**
 * a raised to the power b, element-wise with broadcasting. The gradient with respect to the
 * exponent is taken as 0 where a <= 0, as TensorFlow does.
 *
 * @example
 * ```ts
 * nb.pow(nb.tensor([2, 3]), 2);            // [4, 9]
 * nb.pow(2, nb.tensor([0, 1, 3]));         // [1, 2, 8]
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return runBinary(powOp, a, b);
}

/**
 * Element-wise maximum with broadcasting. The gradient goes to `a` where a >= b, else to `b`.
 *
 * @example
 * ```ts
 * nb.maximum(nb.tensor([1, 5, -2]), 0);    // [1, 5, 0]
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return runBinary(maximumOp, a, b);
}

/**
 * Element-wise minimum with broadcasting. The gradient goes to `a` where a <= b, else to `b`.
 *
 * @example
 * ```ts
 * nb.minimum(nb.tensor([1, 5, -2]), 2);    // [1, 2, -2]
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return runBinary(minimumOp, a, b);
}

/**
 * (a - b)², element-wise with broadcasting.
 *
 * @example
 * ```ts
 * nb.squaredDifference(nb.tensor([1, 4]), nb.tensor([3, 1]));  // [4, 9]
 * ```
 */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return runBinary(squaredDifferenceOp, a, b);
}

/**
 * floor(a / b), element-wise with broadcasting (rounds toward -infinity, like Python's `//`).
 * Not differentiable. Integer division by zero gives 0.
 *
 * @example
 * ```ts
 * nb.floorDiv(nb.tensor([7, -7], [2], 'int32'), 2);  // [3, -4]
 * ```
 */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return runBinary(floorDivOp, a, b);
}

/**
 * Remainder of floor division, a - floor(a / b)·b: the result has the sign of `b`
 * (TensorFlow's `floormod`, Python's `%`).
 *
 * @example
 * ```ts
 * nb.mod(nb.tensor([7, -7]), 3);           // [1, 2]
 * ```
 */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return runBinary(modOp, a, b);
}
