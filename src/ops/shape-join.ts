import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape, normalizeAxis, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp, runOp1, type OpDef, type TensorSpec } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { expandDims, reshape } from './reshape.js';
import { assertSameDims, assertSameDTypes, snapshot } from './shape-util.js';

// ---------------------------------------------------------------------------------------------
// concat

interface ConcatAttrs {
  /** Possibly negative. */
  axis: number;
}

function validateConcat(xs: readonly TensorSpec[], axis: number): number {
  if (xs.length === 0) {
    throw new InvalidArgumentError('concat: needs at least one tensor, got an empty list.');
  }
  const first = xs[0]!;
  const rank = first.shape.length;
  if (rank === 0) {
    throw new ShapeError('concat: cannot concatenate scalars (rank 0); use nb.stack to join scalars into a vector.');
  }
  const a = normalizeAxis('concat', axis, rank);
  assertSameDTypes('concat', xs, (i) => `xs[${i}]`);
  xs.forEach((x, i) => {
    if (x.shape.length !== rank) {
      throw new ShapeError(
        `concat: all tensors must have the same rank, but xs[0] has shape ${formatShape(first.shape)} and xs[${i}] has shape ${formatShape(x.shape)}.`,
      );
    }
    assertSameDims('concat', first, 'xs[0]', x, `xs[${i}]`, 0, a);
    assertSameDims('concat', first, 'xs[0]', x, `xs[${i}]`, a + 1, rank);
  });
  return a;
}

const concatOp: OpDef<ConcatAttrs> = {
  name: 'concat',
  infer(xs, { axis }) {
    const a = validateConcat(xs, axis);
    const shape = xs[0]!.shape.slice();
    shape[a] = xs.reduce((n, x) => n + x.shape[a]!, 0);
    return [{ shape, dtype: xs[0]!.dtype }];
  },
  kernel(xs, [out], { axis }) {
    kernels().concat(xs, normalizeAxis('concat', axis, out!.rank), out!);
  },
  grad: (dys, xs, _o, { axis }) => {
    const a = normalizeAxis('concat', axis, xs[0]!.rank);
    return splitBySizes(dys[0]!, xs.map((x) => x.shape[a]!), a);
  },
};

/**
 * Joins tensors along an existing dimension `axis` (default 0). All tensors must have the same
 * dtype, the same rank and the same size in every other dimension.
 *
 * @example
 * ```ts
 * nb.concat([nb.tensor([[1, 2]]), nb.tensor([[3, 4]])]);      // [[1, 2], [3, 4]]
 * nb.concat([nb.tensor([[1], [2]]), nb.tensor([[3], [4]])], -1); // [[1, 3], [2, 4]]
 * ```
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs)) {
    throw new InvalidArgumentError(`concat: xs must be an array of tensors, got ${typeof xs}.`);
  }
  const ts = xs.map((x, i) => toTensor(x, 'concat', `xs[${i}]`));
  return runOp1(concatOp, ts, { axis });
}

// ---------------------------------------------------------------------------------------------
// split

interface SplitAttrs {
  /** Possibly negative. */
  axis: number;
  /** A count of equal parts, or part sizes where one may be -1. */
  numOrSizeSplits: number | readonly number[];
}

function resolveSplitSizes(numOrSizeSplits: number | readonly number[], shape: readonly number[], axis: number): number[] {
  const size = shape[axis]!;
  if (typeof numOrSizeSplits === 'number') {
    const n = numOrSizeSplits;
    if (!Number.isInteger(n) || n < 1) {
      throw new InvalidArgumentError(`split: the number of splits must be a positive integer, got ${n}.`);
    }
    if (size % n !== 0) {
      throw new ShapeError(
        `split: cannot split dimension ${axis} of shape ${formatShape(shape)} (size ${size}) into ${n} equal parts; pass a list of sizes instead.`,
      );
    }
    return new Array<number>(n).fill(size / n);
  }
  if (!Array.isArray(numOrSizeSplits) || numOrSizeSplits.some((s) => !Number.isInteger(s) || s < -1)) {
    throw new InvalidArgumentError(
      `split: sizes must be non-negative integers (one may be -1), got ${JSON.stringify(numOrSizeSplits)}.`,
    );
  }
  const sizes = numOrSizeSplits.slice();
  const inferred = sizes.indexOf(-1);
  if (inferred !== sizes.lastIndexOf(-1)) {
    throw new InvalidArgumentError(`split: only one size can be -1, got ${JSON.stringify(sizes)}.`);
  }
  const known = sizes.reduce((n, s) => (s === -1 ? n : n + s), 0);
  if (inferred >= 0 && known <= size) sizes[inferred] = size - known;
  else if (known !== size || inferred >= 0) {
    throw new ShapeError(
      `split: sizes ${JSON.stringify(numOrSizeSplits)} add up to ${known} but dimension ${axis} of shape ${formatShape(shape)} has size ${size}; they must add up to ${size}${inferred >= 0 ? ' or less (with -1)' : ''}.`,
    );
  }
  return sizes;
}

function resolveSplit(x: TensorSpec, attrs: SplitAttrs): { axis: number; sizes: number[] } {
  const rank = x.shape.length;
  if (rank === 0) throw new ShapeError('split: cannot split a scalar (rank 0); x needs at least one dimension.');
  const axis = normalizeAxis('split', attrs.axis, rank);
  return { axis, sizes: resolveSplitSizes(attrs.numOrSizeSplits, x.shape, axis) };
}

const splitOp: OpDef<SplitAttrs> = {
  name: 'split',
  infer([x], attrs) {
    const { axis, sizes } = resolveSplit(x!, attrs);
    return sizes.map((s) => {
      const shape = x!.shape.slice();
      shape[axis] = s;
      return { shape, dtype: x!.dtype };
    });
  },
  kernel([x], outs, attrs) {
    const { axis, sizes } = resolveSplit(x!, attrs);
    const begin = new Array<number>(x!.rank).fill(0);
    const strides = new Array<number>(x!.rank).fill(1);
    sizes.forEach((s, i) => {
      kernels().stridedSlice(x!, begin, strides, outs[i]!);
      begin[axis]! += s;
    });
  },
  grad: (dys, _i, _o, { axis }) => [concat(dys, axis)],
};

function splitBySizes(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  return runOp(splitOp, [x], { axis, numOrSizeSplits: sizes });
}

/**
 * Splits `x` along `axis` (default 0) into `numOrSizeSplits` equal parts, or into parts of the
 * given sizes (one size may be -1, meaning "the rest").
 *
 * @example
 * ```ts
 * const [a, b] = nb.split(nb.tensor([1, 2, 3, 4]), 2);                  // [1, 2] and [3, 4]
 * const [c, d] = nb.split(nb.zeros([2, 5]), [1, -1], 1);                 // shapes [2,1] and [2,4]
 * ```
 */
export function split(x: TensorLike, numOrSizeSplits: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x, 'split', 'x');
  return runOp(splitOp, [t], { axis, numOrSizeSplits: snapshot(numOrSizeSplits) });
}

// ---------------------------------------------------------------------------------------------
// stack / unstack (built from concat/split and reshapes, so their gradients come for free)

/**
 * Stacks tensors of one shape along a new dimension `axis` (default 0).
 *
 * @example
 * ```ts
 * nb.stack([nb.tensor([1, 2]), nb.tensor([3, 4])]);      // [[1, 2], [3, 4]]
 * nb.stack([nb.tensor([1, 2]), nb.tensor([3, 4])], 1);   // [[1, 3], [2, 4]]
 * ```
 */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new InvalidArgumentError('stack: needs a non-empty array of tensors.');
  }
  const ts = xs.map((x, i) => toTensor(x, 'stack', `xs[${i}]`));
  const first = ts[0]!;
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: all tensors must have the same shape, but xs[0] has shape ${formatShape(first.shape)} and xs[${i}] has shape ${formatShape(t.shape)}.`,
      );
    }
  });
  assertSameDTypes('stack', ts, (i) => `xs[${i}]`);
  const a = normalizeAxis('stack', axis, first.rank + 1);
  return concat(ts.map((t) => expandDims(t, a)), a);
}

/**
 * Splits `x` along `axis` (default 0) into `x.shape[axis]` tensors with that dimension removed.
 *
 * @example
 * ```ts
 * const [row0, row1] = nb.unstack(nb.tensor([[1, 2], [3, 4]]));   // [1, 2] and [3, 4]
 * const cols = nb.unstack(nb.tensor([[1, 2], [3, 4]]), -1);       // [1, 3] and [2, 4]
 * ```
 */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor(x, 'unstack', 'x');
  if (t.rank === 0) throw new ShapeError('unstack: cannot unstack a scalar (rank 0); x needs at least one dimension.');
  const a = normalizeAxis('unstack', axis, t.rank);
  const n = t.shape[a]!;
  if (n === 0) return [];
  const pieceShape = t.shape.filter((_, i) => i !== a);
  return splitBySizes(t, new Array<number>(n).fill(1), a).map((piece) => reshape(piece, pieceShape));
}
