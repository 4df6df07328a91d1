import { InvalidArgumentError } from '../core/errors.js';
import { formatShape, normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { reshape } from './reshape.js';
import { sum } from './reduction.js';
import { assertIntArray, normalizePermutation, snapshot } from './shape-util.js';

// ---------------------------------------------------------------------------------------------
// transpose

interface TransposeAttrs {
  /** Possibly negative; normalised by `infer`. */
  perm: readonly number[];
}

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

const transposeOp: OpDef<TransposeAttrs> = {
  name: 'transpose',
  infer([x], { perm }) {
    const p = normalizePermutation('transpose', perm, x!.shape.length);
    return [{ shape: p.map((d) => x!.shape[d]!), dtype: x!.dtype }];
  },
  kernel([x], [out], { perm }) {
    kernels().transpose(x!, normalizePermutation('transpose', perm, x!.rank), out!);
  },
  grad: ([dy], [x], _o, { perm }) => [transpose(dy!, inversePermutation(normalizePermutation('transpose', perm, x!.rank)))],
};

/**
 * Permutes the dimensions of `x`: output dimension i is input dimension `perm[i]`. Without `perm`
 * the dimensions are reversed (a matrix transpose for rank 2). Negative entries count from the end.
 *
 * @example
 * ```ts
 * nb.transpose(nb.tensor([[1, 2, 3], [4, 5, 6]]));            // [[1, 4], [2, 5], [3, 6]]
 * nb.transpose(nb.zeros([2, 3, 4]), [0, 2, 1]).shape;          // [2, 4, 3]
 * ```
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor(x, 'transpose', 'x');
  const p = perm ?? Array.from({ length: t.rank }, (_, i) => t.rank - 1 - i);
  return runOp1(transposeOp, [t], { perm: snapshot(p) });
}

// ---------------------------------------------------------------------------------------------
// reverse

interface ReverseAttrs {
  /** Sorted, unique, non-negative axes. */
  axes: readonly number[];
}

const reverseOp: OpDef<ReverseAttrs> = {
  name: 'reverse',
  infer([x]) {
    return [{ shape: x!.shape, dtype: x!.dtype }];
  },
  kernel([x], [out], { axes }) {
    kernels().reverse(x!, axes, out!);
  },
  grad: ([dy], _i, _o, { axes }) => [reverseAxes(dy!, axes)],
};

function reverseAxes(x: Tensor, axes: readonly number[]): Tensor {
  return runOp1(reverseOp, [x], { axes });
}

function normalizeReverseAxes(axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const axes = list.map((a) => normalizeAxis('reverse', a, rank));
  if (new Set(axes).size !== axes.length) {
    throw new InvalidArgumentError(`reverse: axis ${JSON.stringify(axis)} names a dimension more than once; list each axis once.`);
  }
  return axes.sort((a, b) => a - b);
}

/**
 * Reverses the order of elements along `axis` (one axis or several; all axes when omitted).
 * Negative axes count from the end.
 *
 * @example
 * ```ts
 * nb.reverse(nb.tensor([[1, 2], [3, 4]]), 1);   // [[2, 1], [4, 3]]
 * nb.reverse(nb.tensor([[1, 2], [3, 4]]));      // [[4, 3], [2, 1]]
 * ```
 */
export function reverse(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'reverse', 'x');
  return reverseAxes(t, normalizeReverseAxes(axis, t.rank));
}

// ---------------------------------------------------------------------------------------------
// tile

interface TileAttrs {
  reps: readonly number[];
}

function validateReps(reps: readonly number[], shape: readonly number[]): void {
  assertIntArray('tile', 'reps', reps);
  if (reps.length !== shape.length) {
    throw new InvalidArgumentError(
      `tile: reps ${JSON.stringify(reps)} has ${reps.length} entries but x has shape ${formatShape(shape)} (rank ${shape.length}); give one repetition count per dimension.`,
    );
  }
  if (reps.some((r) => r < 0)) {
    throw new InvalidArgumentError(`tile: reps must be non-negative, got ${JSON.stringify(reps)}.`);
  }
}

const tileOp: OpDef<TileAttrs> = {
  name: 'tile',
  infer([x], { reps }) {
    validateReps(reps, x!.shape);
    return [{ shape: x!.shape.map((d, i) => d * reps[i]!), dtype: x!.dtype }];
  },
  kernel([x], [out], { reps }) {
    kernels().tile(x!, reps, out!);
  },
  grad: ([dy], [x], _o, { reps }) => {
    if (reps.every((r) => r === 1)) return [dy!];
    // dy viewed as [r0, d0, r1, d1, ...]; summing the repeat axes folds every copy back.
    const split = reps.flatMap((r, i) => [r, x!.shape[i]!]);
    const repeatAxes = reps.map((_, i) => 2 * i);
    return [reshape(sum(reshape(dy!, split), repeatAxes), x!.shape)];
  },
};

/**
 * Repeats `x` `reps[i]` times along dimension i.
 *
 * @example
 * ```ts
 * nb.tile(nb.tensor([1, 2]), [3]);          // [1, 2, 1, 2, 1, 2]
 * nb.tile(nb.tensor([[1], [2]]), [1, 2]);   // [[1, 1], [2, 2]]
 * ```
 */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor(x, 'tile', 'x');
  return runOp1(tileOp, [t], { reps: snapshot(reps) });
}
