import type { Tensor } from '../core/tensor.js';
import { runOp1, type OpDef } from '../ops/engine.js';

/**
 * Ops whose output depends on the run-time shape of their input. Graph gradients use them where
 * the eager rule reads a static shape that a graph may not know (unknown batch dimension).
 */

/** A tensor shaped like `x` filled with `value`. */
export const fillLikeOp: OpDef<{ value: number }> = {
  name: 'graph.fillLike',
  infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
  kernel(_i, [out], { value }) {
    if (value !== 0) out!.values.fill(value);
  },
  grad: 'nondifferentiable',
};

/** The number of elements of `x` over `axes`, as a float32 scalar. */
export const countOp: OpDef<{ axes: number[] }> = {
  name: 'graph.count',
  infer: () => [{ shape: [], dtype: 'float32' }],
  kernel([x], [out], { axes }) {
    let n = 1;
    for (const a of axes) n *= x!.shape[a]!;
    out!.values[0] = n;
  },
  grad: 'nondifferentiable',
};

export function fillLike(x: Tensor, value: number): Tensor {
  return runOp1(fillLikeOp, [x], { value });
}

export function countOf(x: Tensor, axes: number[]): Tensor {
  return runOp1(countOp, [x], { axes });
}
