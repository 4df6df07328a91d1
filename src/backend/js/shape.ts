import type { TypedArray } from '../../core/dtype.js';
import type { PadMode, ShapeKernels, TensorData } from '../kernels.js';

/** Row-major strides, in elements. */
function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

function product(dims: readonly number[], from = 0, to = dims.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
}

/** Below this length a plain loop beats `TypedArray.set` on a subarray. */
const SET_THRESHOLD = 64;

/** Copies `n` contiguous elements from src[s...] to dst[d...] (both arrays of one dtype). */
function copyRun(src: TypedArray, s: number, dst: TypedArray, d: number, n: number): void {
  if (n >= SET_THRESHOLD) {
    dst.set(src.subarray(s, s + n), d);
  } else {
    for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
  }
}

/** A strided view on both sides of a copy: element `idx` lives at offset + Σ idx[i]·stride[i]. */
interface CopyPlan {
  counts: number[];
  srcStrides: number[];
  dstStrides: number[];
}

/**
 * Drops dimensions of size 1 and merges neighbours that are contiguous on both sides, so the
 * innermost loop runs over the longest possible stretch.
 */
function coalesce(counts: readonly number[], srcStrides: readonly number[], dstStrides: readonly number[]): CopyPlan {
  const plan: CopyPlan = { counts: [], srcStrides: [], dstStrides: [] };
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 1) continue;
    const last = plan.counts.length - 1;
    if (
      last >= 0 &&
      plan.srcStrides[last] === srcStrides[i]! * counts[i]! &&
      plan.dstStrides[last] === dstStrides[i]! * counts[i]!
    ) {
      plan.counts[last]! *= counts[i]!;
      plan.srcStrides[last] = srcStrides[i]!;
      plan.dstStrides[last] = dstStrides[i]!;
    } else {
      plan.counts.push(counts[i]!);
      plan.srcStrides.push(srcStrides[i]!);
      plan.dstStrides.push(dstStrides[i]!);
    }
  }
  return plan;
}

/** Side of the square tiles a transposing copy walks, so reads and writes both stay in cache. */
const TILE = 32;

/**
 * Copies an n0 x n1 block whose source is contiguous along dimension 0 and whose destination is
 * contiguous along dimension 1 (a transpose), tile by tile.
 */
function copyTransposedBlock(
  src: TypedArray, s: number, ss0: number, ss1: number,
  dst: TypedArray, d: number, ds0: number, ds1: number,
  n0: number, n1: number,
): void {
  for (let a0 = 0; a0 < n0; a0 += TILE) {
    const end0 = Math.min(a0 + TILE, n0);
    for (let b0 = 0; b0 < n1; b0 += TILE) {
      const end1 = Math.min(b0 + TILE, n1);
      for (let a = a0; a < end0; a++) {
        let si = s + a * ss0 + b0 * ss1;
        let di = d + a * ds0 + b0 * ds1;
        for (let b = b0; b < end1; b++, si += ss1, di += ds1) dst[di] = src[si]!;
      }
    }
  }
}

/** Copies `n` elements between two strided runs. */
function copyStridedRun(src: TypedArray, s: number, ss: number, dst: TypedArray, d: number, ds: number, n: number): void {
  if (ss === 1 && ds === 1) {
    copyRun(src, s, dst, d, n);
  } else {
    for (let i = 0; i < n; i++, s += ss, d += ds) dst[d] = src[s]!;
  }
}

/**
 * The workhorse of the layout kernels: copies the `counts`-shaped strided view of `src` into the
 * strided view of `dst`. Strides may be negative (reverse) or zero (tile).
 */
function copyView(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  counts: readonly number[],
): void {
  for (const c of counts) if (c === 0) return;
  const { counts: n, srcStrides: ss, dstStrides: ds } = coalesce(counts, srcStrides, dstStrides);
  const rank = n.length;
  if (rank === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const last = rank - 1;
  // A transpose of the two innermost dimensions: walk them in tiles instead of row by row.
  const tiled = rank >= 2 && ss[last - 1] === 1 && ds[last] === 1 && ss[last] !== 1 && n[last - 1]! >= TILE && n[last]! >= TILE;
  const innerDims = tiled ? 2 : 1;
  const outerRank = rank - innerDims;
  const outer = product(n, 0, outerRank);
  const idx = new Array<number>(outerRank).fill(0);
  let s = srcOffset;
  let d = dstOffset;
  for (let o = 0; o < outer; o++) {
    if (tiled) copyTransposedBlock(src, s, ss[last - 1]!, ss[last]!, dst, d, ds[last - 1]!, ds[last]!, n[last - 1]!, n[last]!);
    else copyStridedRun(src, s, ss[last]!, dst, d, ds[last]!, n[last]!);
    // Advance the odometer over the outer dimensions.
    for (let k = outerRank - 1; k >= 0; k--) {
      s += ss[k]!;
      d += ds[k]!;
      if (++idx[k]! < n[k]!) break;
      s -= ss[k]! * n[k]!;
      d -= ds[k]! * n[k]!;
      idx[k] = 0;
    }
  }
}

/** Copies the view of `x` (offset and strides in x's elements) into the whole of `out`, row-major. */
function copyViewToOut(x: TensorData, offset: number, strides: readonly number[], out: TensorData): void {
  copyView(x.values, offset, strides, out.values, 0, rowMajorStrides(out.shape), out.shape);
}

/** Index into a dimension of size `size` that mirror padding reads for position `i` (may be outside). */
function mirrorIndex(i: number, size: number, mode: 'reflect' | 'symmetric'): number {
  if (mode === 'reflect') {
    if (i < 0) return -i;
    if (i >= size) return 2 * (size - 1) - i;
  } else {
    if (i < 0) return -i - 1;
    if (i >= size) return 2 * size - 1 - i;
  }
  return i;
}

function constantPad(x: TensorData, paddings: readonly (readonly [number, number])[], constantValue: number, out: TensorData): void {
  out.values.fill(constantValue);
  const outStrides = rowMajorStrides(out.shape);
  let offset = 0;
  for (let i = 0; i < paddings.length; i++) offset += paddings[i]![0] * outStrides[i]!;
  copyView(x.values, 0, rowMajorStrides(x.shape), out.values, offset, outStrides, x.shape);
}

/**
 * Mirror padding: each output coordinate reads a reflected input coordinate, looked up in
 * per-dimension tables of source offsets.
 */
function mirrorPad(x: TensorData, paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric', out: TensorData): void {
  const rank = out.shape.length;
  const ov = out.values, xv = x.values;
  if (ov.length === 0) return;
  if (rank === 0) {
    ov[0] = xv[0]!;
    return;
  }
  const xStrides = rowMajorStrides(x.shape);
  const sourceOffsets = out.shape.map((size, d) => {
    const table = new Int32Array(size);
    for (let o = 0; o < size; o++) table[o] = mirrorIndex(o - paddings[d]![0], x.shape[d]!, mode) * xStrides[d]!;
    return table;
  });
  const inner = out.shape[rank - 1]!;
  const innerTable = sourceOffsets[rank - 1]!;
  const outer = product(out.shape, 0, rank - 1);
  const idx = new Array<number>(rank - 1).fill(0);
  let base = 0;
  for (let d = 0; d < rank - 1; d++) base += sourceOffsets[d]![0]!;
  for (let o = 0, w = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) ov[w++] = xv[base + innerTable[i]!]!;
    for (let k = rank - 2; k >= 0; k--) {
      const table = sourceOffsets[k]!;
      base -= table[idx[k]!]!;
      if (++idx[k]! < out.shape[k]!) {
        base += table[idx[k]!]!;
        break;
      }
      idx[k] = 0;
      base += table[0]!;
    }
  }
}

/** Offset into `x` of the slice picked by row `row` of an [n, k] index matrix. */
function ndOffset(indexValues: TypedArray, row: number, k: number, xStrides: readonly number[]): number {
  let offset = 0;
  for (let j = 0; j < k; j++) offset += indexValues[row * k + j]! * xStrides[j]!;
  return offset;
}

/** Shape of an [n, k] view of an index tensor whose last dimension is k. */
function indexRows(indices: TensorData): { rows: number; k: number } {
  const r = indices.shape.length;
  return { rows: product(indices.shape, 0, r - 1), k: indices.shape[r - 1]! };
}

export const shapeKernels: ShapeKernels = {
  transpose(x, perm, out) {
    const xStrides = rowMajorStrides(x.shape);
    copyViewToOut(x, 0, perm.map((p) => xStrides[p]!), out);
  },

  concat(xs, axis, out) {
    const outer = product(out.shape, 0, axis);
    const inner = product(out.shape, axis + 1);
    const outRow = out.shape[axis]! * inner;
    let column = 0;
    for (const x of xs) {
      const run = x.shape[axis]! * inner;
      for (let o = 0; o < outer; o++) copyRun(x.values, o * run, out.values, o * outRow + column, run);
      column += run;
    }
  },

  stridedSlice(x, begin, strides, out) {
    const xStrides = rowMajorStrides(x.shape);
    let offset = 0;
    for (let i = 0; i < begin.length; i++) offset += begin[i]! * xStrides[i]!;
    copyViewToOut(x, offset, strides.map((s, i) => s * xStrides[i]!), out);
  },

  gather(x, indices, axis, batchDims, out) {
    const batch = product(x.shape, 0, batchDims);
    const outer = product(x.shape, batchDims, axis);
    const axisSize = x.shape[axis]!;
    const inner = product(x.shape, axis + 1);
    const perBatch = product(indices.shape, batchDims);
    const iv = indices.values, xv = x.values, ov = out.values;
    let d = 0;
    for (let b = 0; b < batch; b++) {
      for (let p = 0; p < outer; p++) {
        const sliceBase = (b * outer + p) * axisSize;
        for (let q = 0; q < perBatch; q++) {
          copyRun(xv, (sliceBase + iv[b * perBatch + q]!) * inner, ov, d, inner);
          d += inner;
        }
      }
    }
  },

  gatherND(x, indices, out) {
    const { rows, k } = indexRows(indices);
    const xStrides = rowMajorStrides(x.shape);
    const sliceSize = product(x.shape, k);
    for (let r = 0; r < rows; r++) {
      copyRun(x.values, ndOffset(indices.values, r, k, xStrides), out.values, r * sliceSize, sliceSize);
    }
  },

  scatterND(base, indices, updates, accumulate, out) {
    const ov = out.values, uv = updates.values;
    if (base === null) ov.fill(0);
    else ov.set(base.values);
    const { rows, k } = indexRows(indices);
    const outStrides = rowMajorStrides(out.shape);
    const sliceSize = product(out.shape, k);
    for (let r = 0; r < rows; r++) {
      const d = ndOffset(indices.values, r, k, outStrides);
      const s = r * sliceSize;
      if (accumulate) {
        for (let j = 0; j < sliceSize; j++) ov[d + j] += uv[s + j]!;
      } else {
        copyRun(uv, s, ov, d, sliceSize);
      }
    }
  },

  tile(x, reps, out) {
    // View the output as [r0, d0, r1, d1, ...]: the repeat index reads with stride 0.
    const xStrides = rowMajorStrides(x.shape);
    const counts: number[] = [];
    const srcStrides: number[] = [];
    for (let i = 0; i < reps.length; i++) {
      counts.push(reps[i]!, x.shape[i]!);
      srcStrides.push(0, xStrides[i]!);
    }
    copyView(x.values, 0, srcStrides, out.values, 0, rowMajorStrides(counts), counts);
  },

  pad(x, paddings, mode: PadMode, constantValue, out) {
    if (mode === 'constant') constantPad(x, paddings, constantValue, out);
    else mirrorPad(x, paddings, mode, out);
  },

  reverse(x, axes, out) {
    const strides = rowMajorStrides(x.shape);
    let offset = 0;
    for (const a of axes) {
      offset += (x.shape[a]! - 1) * strides[a]!;
      strides[a] = -strides[a]!;
    }
    copyViewToOut(x, offset, strides, out);
  },

  oneHot(indices, depth, onValue, offValue, out) {
    const iv = indices.values, ov = out.values;
    if (offValue !== 0) ov.fill(offValue);
    for (let i = 0; i < iv.length; i++) {
      const k = iv[i]!;
      if (k >= 0 && k < depth) ov[i * depth + k] = onValue;
    }
  },
};
