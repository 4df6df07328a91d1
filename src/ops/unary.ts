import { assertDTypeIn, type DType } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { UnaryKind } from '../backend/kernels.js';
import { runOp1, type GradFn, type OpDef } from './engine.js';
import { toTensor, zerosLike, type TensorLike } from './creation.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { FLOAT, NUMERIC } from './dtype-sets.js';
import { cast, greater, where } from './logical.js';
import { reluGrad } from './relu-grad.js';

interface UnaryAttrs {
  alpha: number;
  beta: number;
}

const NO_ATTRS: UnaryAttrs = { alpha: 0, beta: 0 };

function unaryOpDef(kind: UnaryKind, allowed: readonly DType[], grad: GradFn<UnaryAttrs> | 'nondifferentiable'): OpDef<UnaryAttrs> {
  return {
    name: kind,
    infer([x]) {
      assertDTypeIn(kind, 'x', x!.dtype, allowed);
      return [{ shape: x!.shape, dtype: x!.dtype }];
    },
    kernel([x], [out], { alpha, beta }) {
      kernels().unary(kind, x!, out!, alpha, beta);
    },
    grad,
  };
}

function run(op: OpDef<UnaryAttrs>, x: TensorLike, attrs: UnaryAttrs = NO_ATTRS): Tensor {
  return runOp1(op, [toTensor(x, op.name, 'x')], attrs);
}

const zeroGrad: GradFn<UnaryAttrs> = ([dy]) => [zerosLike(dy!)];
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

const stepOp = unaryOpDef('step', NUMERIC, 'nondifferentiable');
/** 1 where x > 0, else `alpha` (used by gradient rules). */
function step(x: Tensor, alpha = 0): Tensor {
  return run(stepOp, x, { alpha, beta: 0 });
}

const absOp = unaryOpDef('abs', NUMERIC, ([dy], [x]) => [mul(dy!, sign(x!))]);
const expOp = unaryOpDef('exp', FLOAT, ([dy], _i, [y]) => [mul(dy!, y!)]);
const expm1Op = unaryOpDef('expm1', FLOAT, ([dy], [x]) => [mul(dy!, exp(x!))]);
const logOp = unaryOpDef('log', FLOAT, ([dy], [x]) => [div(dy!, x!)]);
const log1pOp = unaryOpDef('log1p', FLOAT, ([dy], [x]) => [div(dy!, add(x!, 1))]);
const sqrtOp = unaryOpDef('sqrt', FLOAT, ([dy], _i, [y]) => [div(dy!, mul(y!, 2))]);
const rsqrtOp = unaryOpDef('rsqrt', FLOAT, ([dy], [x], [y]) => [mul(dy!, div(mul(y!, -0.5), x!))]);
const squareOp = unaryOpDef('square', NUMERIC, ([dy], [x]) => [mul(dy!, mul(x!, 2))]);
const reciprocalOp = unaryOpDef('reciprocal', FLOAT, ([dy], _i, [y]) => [neg(mul(dy!, mul(y!, y!)))]);
const sigmoidOp = unaryOpDef('sigmoid', FLOAT, ([dy], _i, [y]) => [mul(dy!, mul(y!, sub(1, y!)))]);
const tanhOp = unaryOpDef('tanh', FLOAT, ([dy], _i, [y]) => [mul(dy!, sub(1, mul(y!, y!)))]);
const reluOp = unaryOpDef('relu', NUMERIC, ([dy], [x]) => [reluGrad(dy!, x!)]);
const relu6Op = unaryOpDef('relu6', NUMERIC, ([dy], [x]) => [mul(dy!, mul(step(x!), step(sub(6, x!))))]);
const eluOp = unaryOpDef('elu', FLOAT, ([dy], [x], [y], { alpha }) => [
  where(greater(x!, 0), dy!, mul(dy!, add(y!, alpha))),
]);
const seluOp = unaryOpDef('selu', FLOAT, ([dy], [x], [y]) => [
  where(greater(x!, 0), mul(dy!, SELU_SCALE), mul(dy!, add(y!, SELU_SCALE * SELU_ALPHA))),
]);
const leakyReluOp = unaryOpDef('leakyRelu', FLOAT, ([dy], [x], _o, { alpha }) => [mul(dy!, step(x!, alpha))]);
const softplusOp = unaryOpDef('softplus', FLOAT, ([dy], [x]) => [mul(dy!, sigmoid(x!))]);
const erfOp = unaryOpDef('erf', FLOAT, ([dy], [x]) => [mul(dy!, mul(exp(neg(mul(x!, x!))), 2 / Math.sqrt(Math.PI)))]);
const geluOp = unaryOpDef('gelu', FLOAT, ([dy], [x]) => {
  const cdf = mul(add(erf(div(x!, Math.SQRT2)), 1), 0.5);
  const pdf = mul(exp(mul(mul(x!, x!), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return [mul(dy!, add(cdf, mul(x!, pdf)))];
});
const sinOp = unaryOpDef('sin', FLOAT, ([dy], [x]) => [mul(dy!, cos(x!))]);
const cosOp = unaryOpDef('cos', FLOAT, ([dy], [x]) => [neg(mul(dy!, sin(x!)))]);
const signOp = unaryOpDef('sign', NUMERIC, zeroGrad);
const floorOp = unaryOpDef('floor', FLOAT, zeroGrad);
const ceilOp = unaryOpDef('ceil', FLOAT, zeroGrad);
const roundOp = unaryOpDef('round', FLOAT, zeroGrad);
const clipOp = unaryOpDef('clip', NUMERIC, ([dy], [x], _o, { alpha, beta }) => [
  mul(dy!, cast(where(greater(x!, beta), false, where(greater(alpha, x!), false, true)), dy!.dtype)),
]);

/** |x|. @example `nb.abs(nb.tensor([-1, 2]))` → [1, 2] */
export const abs = (x: TensorLike): Tensor => run(absOp, x);
/** e^x. @example `nb.exp(nb.tensor([0, 1]))` */
export const exp = (x: TensorLike): Tensor => run(expOp, x);
/** e^x - 1, accurate near 0. */
export const expm1 = (x: TensorLike): Tensor => run(expm1Op, x);
/** Natural logarithm. @example `nb.log(x)` */
export const log = (x: TensorLike): Tensor => run(logOp, x);
/** log(1 + x), accurate near 0. */
export const log1p = (x: TensorLike): Tensor => run(log1pOp, x);
/** Square root. */
export const sqrt = (x: TensorLike): Tensor => run(sqrtOp, x);
/** 1 / sqrt(x). */
export const rsqrt = (x: TensorLike): Tensor => run(rsqrtOp, x);
/** x². */
export const square = (x: TensorLike): Tensor => run(squareOp, x);
/** 1 / x. */
export const reciprocal = (x: TensorLike): Tensor => run(reciprocalOp, x);
/** 1 / (1 + e^-x). @example `nb.sigmoid(logits)` */
export const sigmoid = (x: TensorLike): Tensor => run(sigmoidOp, x);
/** Hyperbolic tangent. */
export const tanh = (x: TensorLike): Tensor => run(tanhOp, x);
/** max(x, 0). @example `nb.relu(nb.tensor([-1, 2]))` → [0, 2] */
export const relu = (x: TensorLike): Tensor => run(reluOp, x);
/** min(max(x, 0), 6). */
export const relu6 = (x: TensorLike): Tensor => run(relu6Op, x);
/** x for x > 0, alpha·(e^x − 1) otherwise (alpha defaults to 1). */
export const elu = (x: TensorLike, alpha = 1): Tensor => run(eluOp, x, { alpha, beta: 0 });
/** Scaled ELU with the self-normalising constants. */
export const selu = (x: TensorLike): Tensor => run(seluOp, x);
/** x for x > 0, alpha·x otherwise (alpha defaults to 0.2, as tf.nn.leaky_relu). */
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => run(leakyReluOp, x, { alpha, beta: 0 });
/** log(1 + e^x), computed stably. */
export const softplus = (x: TensorLike): Tensor => run(softplusOp, x);
/** The error function. */
export const erf = (x: TensorLike): Tensor => run(erfOp, x);
/** Gaussian error linear unit, exact form x·Φ(x) (TensorFlow's default, approximate=false). */
export const gelu = (x: TensorLike): Tensor => run(geluOp, x);
/** Sine. */
export const sin = (x: TensorLike): Tensor => run(sinOp, x);
/** Cosine. */
export const cos = (x: TensorLike): Tensor => run(cosOp, x);
/** -1, 0 or 1 by the sign of x. */
export const sign = (x: TensorLike): Tensor => run(signOp, x);
/** Largest integer <= x. */
export const floor = (x: TensorLike): Tensor => run(floorOp, x);
/** Smallest integer >= x. */
export const ceil = (x: TensorLike): Tensor => run(ceilOp, x);
/** Nearest integer, halves to even (as TensorFlow). */
export const round = (x: TensorLike): Tensor => run(roundOp, x);

/**
 * Clamps values into [clipMin, clipMax]. @example `nb.clipByValue(x, 0, 1)`
 */
export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  if (!(clipValueMin <= clipValueMax)) {
    throw new InvalidArgumentError(`clipByValue: clipValueMin (${clipValueMin}) must be <= clipValueMax (${clipValueMax}).`);
  }
  return run(clipOp, x, { alpha: clipValueMin, beta: clipValueMax });
}

export { neg };
