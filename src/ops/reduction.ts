import { assertDTypeIn } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import { formatShape, normalizeAxes, normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { ReduceKind } from '../backend/kernels.js';
import { runOp1, type GradFn, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { BOOL, NUMERIC } from './dtype-sets.js';
import { add, div, mul, sub } from './arithmetic.js';
import { broadcastTo, reshape } from './reshape.js';
import { cast, equal, stopGradient, where } from './logical.js';
import { exp, log } from './unary.js';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** dy (reduced shape) reshaped to keep dims, then broadcast to the input's shape. */
function expandToInput(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(x.shape, axes, true)), x.shape);
}

function reduceOpDef(kind: ReduceKind, allowed: typeof NUMERIC, grad: GradFn<ReduceAttrs> | 'nondifferentiable'): OpDef<ReduceAttrs> {
  return {
    name: kind,
    infer([x], { axes, keepDims }) {
      assertDTypeIn(kind, 'x', x!.dtype, allowed);
      const dtype = kind === 'all' || kind === 'any' ? 'bool' : x!.dtype;
      return [{ shape: reducedShape(x!.shape, axes, keepDims), dtype }];
    },
    kernel([x], [out], { axes }) {
      kernels().reduce(kind, x!, axes, out!);
    },
    grad,
  };
}

function countOf(x: Tensor, axes: readonly number[]): number {
  let n = 1;
  for (const a of axes) n *= x.shape[a]!;
  return n;
}

/** Gradient of max/min: split dy equally between the positions that attain the extreme. */
const extremeGrad: GradFn<ReduceAttrs> = ([dy], [x], [y], { axes }) => {
  const yb = expandToInput(y!, x!, axes);
  const mask = cast(equal(x!, yb), dy!.dtype);
  const ties = expandToInput(kernelSum(mask, axes), x!, axes);
  return [div(mul(expandToInput(dy!, x!, axes), mask), ties)];
};

const sumOp = reduceOpDef('sum', NUMERIC, ([dy], [x], _o, { axes }) => [expandToInput(dy!, x!, axes)]);
const meanOp = reduceOpDef('mean', NUMERIC, ([dy], [x], _o, { axes }) => [
  div(expandToInput(dy!, x!, axes), countOf(x!, axes)),
]);
const maxOp = reduceOpDef('max', NUMERIC, extremeGrad);
const minOp = reduceOpDef('min', NUMERIC, extremeGrad);
const prodOp = reduceOpDef('prod', NUMERIC, ([dy], [x], _o, { axes }) => {
  // d prod / d x_i = product of the other elements, computed without dividing by zero.
  const isZero = equal(x!, 0);
  const nonZero = where(isZero, 1, x!);
  const prodNonZero = expandToInput(prod(nonZero, axes, false), x!, axes);
  const zeros = expandToInput(kernelSum(cast(isZero, 'float32'), axes), x!, axes);
  const others = where(isZero, where(equal(zeros, 1), prodNonZero, 0), where(equal(zeros, 0), div(prodNonZero, nonZero), 0));
  return [mul(expandToInput(dy!, x!, axes), others)];
});
const allOp = reduceOpDef('all', BOOL, 'nondifferentiable');
const anyOp = reduceOpDef('any', BOOL, 'nondifferentiable');

function kernelSum(x: Tensor, axes: readonly number[]): Tensor {
  return runOp1(sumOp, [x], { axes: axes.slice(), keepDims: false });
}

function reduce(op: OpDef<ReduceAttrs>, x: TensorLike, axis: number | number[] | undefined | null, keepDims: boolean): Tensor {
  const t = toTensor(x, op.name, 'x');
  return runOp1(op, [t], { axes: normalizeAxes(op.name, axis, t.rank), keepDims });
}

/**
 * Sum over `axis` (all axes when omitted).
 * @example `nb.sum(nb.tensor([[1, 2], [3, 4]]), 1)` → [3, 7]
 */
export function sum(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(sumOp, x, axis, keepDims);
}
/** Mean over `axis` (all axes when omitted). @example `nb.mean(x, -1, true)` */
export function mean(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(meanOp, x, axis, keepDims);
}
/** Maximum over `axis`. @example `nb.max(x, 0)` */
export function max(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(maxOp, x, axis, keepDims);
}
/** Minimum over `axis`. */
export function min(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(minOp, x, axis, keepDims);
}
/** Product over `axis`. */
export function prod(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(prodOp, x, axis, keepDims);
}
/** Logical AND over `axis` of a bool tensor. */
export function all(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(allOp, x, axis, keepDims);
}
/** Logical OR over `axis` of a bool tensor. */
export function any(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return reduce(anyOp, x, axis, keepDims);
}

function argOpDef(kind: 'argMax' | 'argMin'): OpDef<{ axis: number }> {
  return {
    name: kind,
    infer([x], { axis }) {
      assertDTypeIn(kind, 'x', x!.dtype, NUMERIC);
      if (x!.shape.length === 0 || x!.shape[axis] === 0) {
        throw new InvalidArgumentError(
          `${kind}: needs a non-empty axis to search, got shape ${formatShape(x!.shape)} and axis ${axis}; reshape a scalar to [1] first.`,
        );
      }
      return [{ shape: x!.shape.filter((_, i) => i !== axis), dtype: 'int32' }];
    },
    kernel([x], [out], { axis }) {
      kernels().argReduce(kind, x!, axis, out!);
    },
    grad: 'nondifferentiable',
  };
}
const argMaxOp = argOpDef('argMax');
const argMinOp = argOpDef('argMin');

/** Index (int32) of the largest value along `axis` (default 0). @example `nb.argMax(logits, -1)` */
export function argMax(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'argMax', 'x');
  return runOp1(argMaxOp, [t], { axis: normalizeAxis('argMax', axis, t.rank) });
}
/** Index (int32) of the smallest value along `axis` (default 0). */
export function argMin(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'argMin', 'x');
  return runOp1(argMinOp, [t], { axis: normalizeAxis('argMin', axis, t.rank) });
}

/**
 * log(sum(exp(x))) over `axis`, computed stably (the max is subtracted first).
 * @example `nb.logSumExp(logits, -1)`
 */
export function logSumExp(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const t = toTensor(x, 'logSumExp', 'x');
  assertDTypeIn('logSumExp', 'x', t.dtype, ['float32']);
  const axes = normalizeAxes('logSumExp', axis, t.rank);
  const m = stopGradient(max(t, axes, true));
  const safeM = where(equal(m, m), where(equal(m, Infinity), 0, where(equal(m, -Infinity), 0, m)), 0);
  const lse = add(log(sum(exp(sub(t, safeM)), axes, true)), safeM);
  return keepDims ? lse : reshape(lse, reducedShape(t.shape, axes, false));
}

/**
 * Mean and variance over `axes`, as `tf.nn.moments`.
 * @example `const {mean, variance} = nb.moments(x, [0, 1, 2])`
 */
export function moments(x: TensorLike, axes?: number | number[] | null, keepDims = false): { mean: Tensor; variance: Tensor } {
  const t = toTensor(x, 'moments', 'x');
  assertDTypeIn('moments', 'x', t.dtype, ['float32']);
  const ax = normalizeAxes('moments', axes, t.rank);
  const m = mean(t, ax, true);
  const diff = sub(t, stopGradient(m));
  const variance = mean(mul(diff, diff), ax, keepDims);
  return { mean: keepDims ? m : reshape(m, reducedShape(t.shape, ax, false)), variance };
}
