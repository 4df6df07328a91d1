import { assertDTypeIn, assertSameDType } from '../core/dtype.js';
import { ShapeError } from '../core/errors.js';
import { formatShape, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef, type TensorSpec } from './engine.js';
import type { TensorLike } from './creation.js';
import { binaryInputs } from './binary-def.js';
import { NUMERIC } from './dtype-sets.js';
import { sumToShape } from './grad-util.js';
import { add, mul } from './arithmetic.js';
import { reshape } from './reshape.js';
import { transpose } from './shape-permute.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Rows, inner and column extents of one operand after its optional transpose. */
function matrixDims(shape: Shape, transpose: boolean): { rows: number; cols: number; rowAxis: number; colAxis: number } {
  const r = shape.length;
  const rowAxis = transpose ? r - 1 : r - 2;
  const colAxis = transpose ? r - 2 : r - 1;
  return { rows: shape[rowAxis]!, cols: shape[colAxis]!, rowAxis, colAxis };
}

function describe(a: Shape, b: Shape, { transposeA, transposeB }: MatMulAttrs): string {
  return `a has shape ${formatShape(a)} (transposeA=${transposeA}) and b has shape ${formatShape(b)} (transposeB=${transposeB})`;
}

/** Broadcasts the batch dims (all but the last two), with an error that names matMul's operands. */
function broadcastBatch(a: Shape, b: Shape, attrs: MatMulAttrs): number[] {
  const ba = a.slice(0, -2);
  const bb = b.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = ba[i - (rank - ba.length)] ?? 1;
    const db = bb[i - (rank - bb.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `matMul: batch dimensions do not broadcast: ${describe(a, b, attrs)}; batch dims ${formatShape(ba)} and ${formatShape(bb)} differ at position ${i} (${da} vs ${db}). Each batch dim must match or be 1.`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

function inferMatMul(a: TensorSpec, b: TensorSpec, attrs: MatMulAttrs): TensorSpec {
  const dtype = assertSameDType('matMul', a.dtype, b.dtype);
  assertDTypeIn('matMul', 'operands', dtype, NUMERIC);
  for (const [name, s] of [['a', a.shape], ['b', b.shape]] as const) {
    if (s.length < 2) {
      throw new ShapeError(
        `matMul: ${name} must have rank >= 2, got shape ${formatShape(s)}. Use nb.dot for vectors, or nb.expandDims to make a row or column matrix.`,
      );
    }
  }
  const da = matrixDims(a.shape, attrs.transposeA);
  const db = matrixDims(b.shape, attrs.transposeB);
  if (da.cols !== db.rows) {
    throw new ShapeError(
      `matMul: inner dimensions must match: ${describe(a.shape, b.shape, attrs)}; dimension ${da.colAxis} of a (${da.cols}) must equal dimension ${db.rowAxis} of b (${db.rows}). Fix the shapes or set transposeA/transposeB.`,
    );
  }
  return { shape: [...broadcastBatch(a.shape, b.shape, attrs), da.rows, db.cols], dtype };
}

/**
 * Gradients of C = op(A)·op(B) (op = optional transpose), each as one matMul; batch dims that
 * were broadcast are summed back to the operand's shape.
 */
function matMulGrad(dy: Tensor, a: Tensor, b: Tensor, { transposeA, transposeB }: MatMulAttrs, [needA, needB]: readonly boolean[]): (Tensor | null)[] {
  // A Gram matrix (AᵀA or AAᵀ, one tensor on both sides, e.g. style transfer's): both gradients
  // are A·dC-shaped products, summed as one: d(AᵀA) = A(dC + dCᵀ), d(AAᵀ) = (dC + dCᵀ)A.
  if (a === b && a.rank === 2 && transposeA !== transposeB && (needA !== false || needB !== false)) {
    const sym = add(dy, transpose(dy));
    return [transposeA ? matMul(a, sym) : matMul(sym, a), null];
  }
  let da: () => Tensor, db: () => Tensor;
  if (!transposeA && !transposeB) {
    da = () => matMul(dy, b, false, true);
    db = () => matMul(a, dy, true, false);
  } else if (!transposeA && transposeB) {
    da = () => matMul(dy, b, false, false);
    db = () => matMul(dy, a, true, false);
  } else if (transposeA && !transposeB) {
    da = () => matMul(b, dy, false, true);
    db = () => matMul(a, dy, false, false);
  } else {
    da = () => matMul(b, dy, true, true);
    db = () => matMul(dy, a, true, true);
  }
  return [needA === false ? null : sumToShape(da(), a.shape), needB === false ? null : sumToShape(db(), b.shape)];
}

export const matMulOp: OpDef<MatMulAttrs> = {
  name: 'matMul',
  infer([a, b], attrs) {
    return [inferMatMul(a!, b!, attrs)];
  },
  kernel([a, b], [out], { transposeA, transposeB }) {
    kernels().matMul(a!, b!, out!, transposeA, transposeB);
  },
  grad: ([dy], [a, b], _outputs, attrs, needed) => matMulGrad(dy!, a!, b!, attrs, needed ?? []),
};

/**
 * Matrix product of the last two dims of rank >= 2 tensors, optionally transposing either
 * operand; leading (batch) dims broadcast like element-wise ops.
 *
 * @example
 * ```ts
 * const a = nb.tensor([[1, 2], [3, 4]]);
 * nb.matMul(a, a);                        // [[7, 10], [15, 22]]
 * nb.matMul(a, a, false, true);           // a · aᵀ
 * nb.matMul(nb.ones([8, 2, 3]), nb.ones([3, 4])).shape;   // [8, 2, 4]
 * ```
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  const [ta, tb] = binaryInputs('matMul', a, b);
  return runOp1(matMulOp, [ta, tb], { transposeA, transposeB });
}

function assertVectorOrMatrix(op: string, name: string, t: Tensor): void {
  if (t.rank !== 1 && t.rank !== 2) {
    throw new ShapeError(
      `${op}: ${name} must be a vector or a matrix (rank 1 or 2), got shape ${formatShape(t.shape)}. Use nb.matMul for batched products.`,
    );
  }
}

/**
 * Dot product of vectors and matrices: vector·vector gives a scalar, matrix·vector a vector,
 * vector·matrix a vector and matrix·matrix a matrix.
 *
 * @example
 * ```ts
 * nb.dot(nb.tensor([1, 2, 3]), nb.tensor([4, 5, 6]));       // 32 (a scalar)
 * nb.dot(nb.tensor([[1, 2], [3, 4]]), nb.tensor([1, 1]));    // [3, 7]
 * ```
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryInputs('dot', a, b);
  assertVectorOrMatrix('dot', 'a', ta);
  assertVectorOrMatrix('dot', 'b', tb);
  const inner = ta.shape[ta.rank - 1]!;
  const other = tb.shape[0]!;
  if (inner !== other) {
    throw new ShapeError(
      `dot: a has shape ${formatShape(ta.shape)} and b has shape ${formatShape(tb.shape)}; the last dimension of a (${inner}) must equal the first dimension of b (${other}).`,
    );
  }
  const a2 = ta.rank === 1 ? reshape(ta, [1, inner]) : ta;
  const b2 = tb.rank === 1 ? reshape(tb, [other, 1]) : tb;
  const outShape = [...(ta.rank === 2 ? [ta.shape[0]!] : []), ...(tb.rank === 2 ? [tb.shape[1]!] : [])];
  return reshape(matMul(a2, b2), outShape);
}

/**
 * Outer product of two vectors: out[i][j] = a[i]·b[j].
 *
 * @example
 * ```ts
 * nb.outer(nb.tensor([1, 2]), nb.tensor([3, 4, 5]));   // [[3, 4, 5], [6, 8, 10]]
 * ```
 */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryInputs('outer', a, b);
  assertDTypeIn('outer', 'operands', assertSameDType('outer', ta.dtype, tb.dtype), NUMERIC);
  for (const [name, t] of [['a', ta], ['b', tb]] as const) {
    if (t.rank !== 1) {
      throw new ShapeError(`outer: ${name} must be a vector (rank 1), got shape ${formatShape(t.shape)}; flatten it with nb.reshape(x, [-1]).`);
    }
  }
  return mul(reshape(ta, [ta.size, 1]), reshape(tb, [1, tb.size]));
}
