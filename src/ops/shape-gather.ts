import { assertDTypeIn, assertSameDType } from '../core/dtype.js';
import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { assertValidShape, formatShape, normalizeAxis, shapesEqual, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef, type TensorSpec } from './engine.js';
import { range, toTensor, zeros, type TensorLike } from './creation.js';
import { ANY, NUMERIC } from './dtype-sets.js';
import { broadcastTo, reshape } from './reshape.js';
import { stack } from './shape-join.js';
import { assertIndicesInRange, assertNDIndicesInRange, snapshot } from './shape-util.js';

const INDEX_DTYPES = ['int32'] as const;

// ---------------------------------------------------------------------------------------------
// gather

interface GatherAttrs {
  /** Possibly negative. */
  axis: number;
  /** Possibly negative (counted from indices' rank). */
  batchDims: number;
}

function resolveGather(x: TensorSpec, indices: TensorSpec, attrs: GatherAttrs): { axis: number; batchDims: number } {
  if (x.shape.length === 0) {
    throw new ShapeError('gather: x is a scalar (rank 0); it needs at least one dimension to gather from.');
  }
  const axis = normalizeAxis('gather', attrs.axis, x.shape.length);
  const indexRank = indices.shape.length;
  const b = attrs.batchDims;
  if (!Number.isInteger(b) || b < -indexRank || b > indexRank) {
    throw new InvalidArgumentError(
      `gather: batchDims ${b} is out of range for indices of rank ${indexRank}; expected an integer in [${-indexRank}, ${indexRank}].`,
    );
  }
  const batchDims = b < 0 ? b + indexRank : b;
  if (batchDims > axis) {
    throw new InvalidArgumentError(`gather: batchDims (${batchDims}) must be <= axis (${axis}); the batch dimensions come first.`);
  }
  for (let i = 0; i < batchDims; i++) {
    if (x.shape[i] !== indices.shape[i]) {
      throw new ShapeError(
        `gather: with batchDims ${batchDims}, x (shape ${formatShape(x.shape)}) and indices (shape ${formatShape(indices.shape)}) must agree on their first ${batchDims} dimensions, but dimension ${i} differs.`,
      );
    }
  }
  return { axis, batchDims };
}

/**
 * N-d indices into x for every element gathered: the positions along the dimensions before
 * `axis` followed by the gathered index. Built from ops, so it works in graph mode too.
 */
function gatherScatterIndices(indices: Tensor, xShape: Shape, axis: number, batchDims: number): Tensor {
  if (axis === 0) return reshape(indices, [...indices.shape, 1]);
  const positions = [...xShape.slice(0, axis), ...indices.shape.slice(batchDims)];
  const coordinates: Tensor[] = [];
  for (let d = 0; d < axis; d++) {
    const alongD = positions.map((_, i) => (i === d ? xShape[d]! : 1));
    coordinates.push(broadcastTo(reshape(range(0, xShape[d]!, 1, 'int32'), alongD), positions));
  }
  const indexShape = [...indices.shape.slice(0, batchDims), ...new Array<number>(axis - batchDims).fill(1), ...indices.shape.slice(batchDims)];
  coordinates.push(broadcastTo(reshape(indices, indexShape), positions));
  return stack(coordinates, -1);
}

const gatherOp: OpDef<GatherAttrs> = {
  name: 'gather',
  infer([x, indices], attrs) {
    assertDTypeIn('gather', 'indices', indices!.dtype, INDEX_DTYPES);
    const { axis, batchDims } = resolveGather(x!, indices!, attrs);
    const shape = [...x!.shape.slice(0, axis), ...indices!.shape.slice(batchDims), ...x!.shape.slice(axis + 1)];
    return [{ shape, dtype: x!.dtype }];
  },
  kernel([x, indices], [out], attrs) {
    const { axis, batchDims } = resolveGather(x!, indices!, attrs);
    assertIndicesInRange('gather', indices!, x!.shape[axis]!, `axis ${axis} of x with shape ${formatShape(x!.shape)}`);
    kernels().gather(x!, indices!, axis, batchDims, out!);
  },
  grad: ([dy], [x, indices], _o, attrs) => {
    const { axis, batchDims } = resolveGather(x!, indices!, attrs);
    return [scatterND(gatherScatterIndices(indices!, x!.shape, axis, batchDims), dy!, x!.shape), null];
  },
};

/**
 * Gathers slices of `x` along `axis` (default 0) at the int32 `indices`; the output has shape
 * `x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis+1:]`. With `batchDims`, the leading
 * dimensions of `x` and `indices` are batch dimensions gathered pairwise. Out-of-range indices
 * are an error.
 *
 * @example
 * ```ts
 * const x = nb.tensor([[1, 2], [3, 4], [5, 6]]);
 * nb.gather(x, [2, 0]);                          // [[5, 6], [1, 2]]
 * nb.gather(x, [1, 1, 0], 1);                    // [[2, 2, 1], [4, 4, 3], [6, 6, 5]]
 * nb.gather(x, [[1], [0], [1]], 1, 1);           // [[2], [3], [6]]
 * ```
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0, batchDims = 0): Tensor {
  const t = toTensor(x, 'gather', 'x');
  const i = toTensor(indices, 'gather', 'indices', 'int32');
  return runOp1(gatherOp, [t, i], { axis, batchDims });
}

// ---------------------------------------------------------------------------------------------
// N-d index validation shared by gatherND, scatterND and tensorScatter*

/** Depth k of N-d indices (their last dimension), checked against the rank of the indexed shape. */
function indexDepth(op: string, indices: TensorSpec, indexed: Shape, indexedName: string): number {
  assertDTypeIn(op, 'indices', indices.dtype, INDEX_DTYPES);
  if (indices.shape.length === 0) {
    throw new ShapeError(`${op}: indices must have at least one dimension (its last holds the coordinates), got a scalar; wrap it as [[i]].`);
  }
  const k = indices.shape[indices.shape.length - 1]!;
  if (k > indexed.length) {
    throw new ShapeError(
      `${op}: indices have shape ${formatShape(indices.shape)}, so each index has ${k} coordinates, but ${indexedName} (shape ${formatShape(indexed)}) has only ${indexed.length} dimensions.`,
    );
  }
  return k;
}

/** The shape updates must have: indices.shape[:-1] + shape[k:]. */
function checkUpdatesShape(op: string, indices: TensorSpec, updates: TensorSpec, shape: Shape, k: number): void {
  const expected = [...indices.shape.slice(0, -1), ...shape.slice(k)];
  if (!shapesEqual(updates.shape, expected)) {
    throw new ShapeError(
      `${op}: updates must have shape ${formatShape(expected)} (indices.shape[:-1] + shape[${k}:]) for indices of shape ${formatShape(indices.shape)} into shape ${formatShape(shape)}, got ${formatShape(updates.shape)}.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// gatherND

const gatherNDOp: OpDef<void> = {
  name: 'gatherND',
  infer([x, indices]) {
    const k = indexDepth('gatherND', indices!, x!.shape, 'x');
    return [{ shape: [...indices!.shape.slice(0, -1), ...x!.shape.slice(k)], dtype: x!.dtype }];
  },
  kernel([x, indices], [out]) {
    assertNDIndicesInRange('gatherND', indices!, x!.shape, 'x');
    kernels().gatherND(x!, indices!, out!);
  },
  grad: ([dy], [x, indices]) => [scatterND(indices!, dy!, x!.shape), null],
};

/**
 * Gathers slices of `x` at N-d int32 `indices`: the last dimension of `indices` holds
 * coordinates into the leading dimensions of `x`. The output has shape
 * `indices.shape[:-1] + x.shape[indices.shape[-1]:]`.
 *
 * @example
 * ```ts
 * const x = nb.tensor([[1, 2], [3, 4]]);
 * nb.gatherND(x, [[1, 0], [0, 1]]);   // [3, 2]
 * nb.gatherND(x, [[1]]);              // [[3, 4]]
 * ```
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  const t = toTensor(x, 'gatherND', 'x');
  const i = toTensor(indices, 'gatherND', 'indices', 'int32');
  return runOp1(gatherNDOp, [t, i], undefined);
}

// ---------------------------------------------------------------------------------------------
// scatterND

const scatterNDOp: OpDef<{ shape: Shape }> = {
  name: 'scatterND',
  infer([indices, updates], { shape }) {
    assertValidShape('scatterND', shape);
    assertDTypeIn('scatterND', 'updates', updates!.dtype, NUMERIC);
    const k = indexDepth('scatterND', indices!, shape, 'the output');
    checkUpdatesShape('scatterND', indices!, updates!, shape, k);
    return [{ shape, dtype: updates!.dtype }];
  },
  kernel([indices, updates], [out], { shape }) {
    assertNDIndicesInRange('scatterND', indices!, shape, 'the output');
    kernels().scatterND(null, indices!, updates!, true, out!);
  },
  grad: ([dy], [indices]) => [null, gatherND(dy!, indices!)],
};

/**
 * A tensor of `shape`, zero except at the N-d int32 `indices`, where `updates` are placed.
 * Updates to the same position add up, as in TensorFlow. `updates` has shape
 * `indices.shape[:-1] + shape[indices.shape[-1]:]`.
 *
 * @example
 * ```ts
 * nb.scatterND([[1], [3], [1]], nb.tensor([5, 6, 7]), [4]);   // [0, 12, 0, 6]
 * ```
 */
export function scatterND(indices: TensorLike, updates: TensorLike, shape: Shape): Tensor {
  const i = toTensor(indices, 'scatterND', 'indices', 'int32');
  const u = toTensor(updates, 'scatterND', 'updates');
  return runOp1(scatterNDOp, [i, u], { shape: snapshot(shape) });
}

// ---------------------------------------------------------------------------------------------
// tensorScatterUpdate / tensorScatterAdd

function tensorScatterOpDef(name: string, accumulate: boolean): OpDef<void> {
  return {
    name,
    infer([tensor, indices, updates]) {
      assertDTypeIn(name, 'tensor', tensor!.dtype, accumulate ? NUMERIC : ANY);
      assertSameDType(name, tensor!.dtype, updates!.dtype);
      const k = indexDepth(name, indices!, tensor!.shape, 'tensor');
      checkUpdatesShape(name, indices!, updates!, tensor!.shape, k);
      return [{ shape: tensor!.shape, dtype: tensor!.dtype }];
    },
    kernel([tensor, indices, updates], [out]) {
      assertNDIndicesInRange(name, indices!, tensor!.shape, 'tensor');
      kernels().scatterND(tensor!, indices!, updates!, accumulate, out!);
    },
    grad: ([dy], [, indices, updates]) => {
      const dUpdates = gatherND(dy!, indices!);
      if (accumulate) return [dy!, null, dUpdates];
      // Overwritten positions do not depend on the original tensor.
      return [tensorScatterUpdate(dy!, indices!, zeros(updates!.shape, dy!.dtype)), null, dUpdates];
    },
  };
}

const tensorScatterUpdateOp = tensorScatterOpDef('tensorScatterUpdate', false);
const tensorScatterAddOp = tensorScatterOpDef('tensorScatterAdd', true);

function tensorScatterInputs(op: string, tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor[] {
  const t = toTensor(tensor, op, 'tensor');
  return [t, toTensor(indices, op, 'indices', 'int32'), toTensor(updates, op, 'updates', t.dtype)];
}

/**
 * A copy of `tensor` with the slices at the N-d int32 `indices` replaced by `updates`
 * (shape `indices.shape[:-1] + tensor.shape[indices.shape[-1]:]`). With duplicate indices the
 * last update wins.
 *
 * @example
 * ```ts
 * nb.tensorScatterUpdate(nb.zeros([4]), [[1], [3]], [9, 8]);   // [0, 9, 0, 8]
 * ```
 */
export function tensorScatterUpdate(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  return runOp1(tensorScatterUpdateOp, tensorScatterInputs('tensorScatterUpdate', tensor, indices, updates), undefined);
}

/**
 * A copy of `tensor` with `updates` added at the N-d int32 `indices` (duplicates add up).
 *
 * @example
 * ```ts
 * nb.tensorScatterAdd(nb.ones([4]), [[1], [1]], [2, 3]);   // [1, 6, 1, 1]
 * ```
 */
export function tensorScatterAdd(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  return runOp1(tensorScatterAddOp, tensorScatterInputs('tensorScatterAdd', tensor, indices, updates), undefined);
}
