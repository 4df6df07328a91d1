import { DTypeError, InvalidArgumentError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { PadMode } from '../backend/kernels.js';
import { runOp1, type OpDef, type TensorSpec } from './engine.js';
import { toTensor, zeros, type TensorLike } from './creation.js';
import { add } from './arithmetic.js';
import { reshape } from './reshape.js';
import { reverse } from './shape-permute.js';
import { assertIntArray, snapshot } from './shape-util.js';

// Slicing and padding live together: each is the other's gradient.

// ---------------------------------------------------------------------------------------------
// slice

interface SliceAttrs {
  begin: readonly number[];
  /** -1 means "to the end of the dimension". */
  size: readonly number[];
}

function resolveSlice(shape: readonly number[], { begin, size }: SliceAttrs): number[] {
  const rank = shape.length;
  assertIntArray('slice', 'begin', begin, rank);
  assertIntArray('slice', 'size', size, rank);
  return shape.map((d, i) => {
    const b = begin[i]!;
    if (b < 0 || b > d) {
      throw new InvalidArgumentError(
        `slice: begin[${i}] = ${b} is out of range for dimension ${i} of x with shape ${formatShape(shape)}; it must be in [0, ${d}].`,
      );
    }
    const s = size[i]!;
    if (s === -1) return d - b;
    if (s < 0 || b + s > d) {
      throw new InvalidArgumentError(
        `slice: size[${i}] = ${s} with begin[${i}] = ${b} does not fit dimension ${i} of x with shape ${formatShape(shape)}; ` +
          `size must be in [0, ${d - b}], or -1 for the rest of the dimension.`,
      );
    }
    return s;
  });
}

const sliceOp: OpDef<SliceAttrs> = {
  name: 'slice',
  infer([x], attrs) {
    return [{ shape: resolveSlice(x!.shape, attrs), dtype: x!.dtype }];
  },
  kernel([x], [out], { begin }) {
    kernels().stridedSlice(x!, begin, new Array<number>(begin.length).fill(1), out!);
  },
  grad: ([dy], [x], _o, { begin }) => [
    padWithZeros(dy!, begin.map((b, i) => [b, x!.shape[i]! - b - dy!.shape[i]!] as const)),
  ],
};

/** Expands a begin/size given as a number or a short list to one entry per dimension, as tfjs does. */
function fillPerDimension(value: number | readonly number[] | undefined, rank: number, fillWith: number): readonly number[] {
  const given = value === undefined ? [] : typeof value === 'number' ? [value] : value;
  if (!Array.isArray(given)) return given; // not a list: `infer` reports it
  const list = [...given];
  while (list.length < rank) list.push(fillWith);
  return list;
}

/**
 * The block of `x` that starts at `begin` and spans `size` elements per dimension (-1 = to the end).
 * A number or a shorter list applies to the leading dimensions; the rest are taken whole.
 *
 * @example
 * ```ts
 * const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
 * nb.slice(x, [0, 1], [2, 2]);   // [[2, 3], [5, 6]]
 * nb.slice(x, [1, 0], [1, -1]);  // [[4, 5, 6]]
 * nb.slice(x, 1);                // [[4, 5, 6]]
 * ```
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'slice', 'x');
  return runOp1(sliceOp, [t], { begin: fillPerDimension(begin, t.rank, 0), size: fillPerDimension(size, t.rank, -1) });
}

/** `x[start : start + length]` along one axis, everything along the others. */
function sliceAxis(x: Tensor, axis: number, start: number, length: number): Tensor {
  const begin = new Array<number>(x.rank).fill(0);
  const size = new Array<number>(x.rank).fill(-1);
  begin[axis] = start;
  size[axis] = length;
  return runOp1(sliceOp, [x], { begin, size });
}

// ---------------------------------------------------------------------------------------------
// stridedSlice

/** Bit masks of `stridedSlice`, as in TensorFlow: bit i refers to entry i of begin/end/strides. */
export interface StridedSliceOptions {
  /** Ignore begin[i]: start at the first element (the last for a negative stride). */
  beginMask?: number;
  /** Ignore end[i]: run to the end (the start for a negative stride). */
  endMask?: number;
  /** Entry i stands for as many full dimensions as needed (`...` in Python). At most one bit. */
  ellipsisMask?: number;
  /** Entry i inserts a new dimension of size 1 (`tf.newaxis`); begin/end/stride are ignored. */
  newAxisMask?: number;
  /** Entry i picks the single index begin[i] and removes the dimension (`x[3]` in Python). */
  shrinkAxisMask?: number;
}

interface StridedSliceAttrs {
  begin: readonly number[];
  end: readonly number[];
  strides: readonly number[];
  masks: Required<StridedSliceOptions>;
}

/** A strided slice resolved against a shape: one entry per input dimension. */
interface ResolvedStridedSlice {
  begin: number[];
  strides: number[];
  /** Elements taken per input dimension (shrunk dimensions count 1). */
  counts: number[];
  /** The output shape: counts with shrunk dimensions removed and new axes inserted. */
  shape: number[];
}

function hasBit(mask: number, i: number): boolean {
  return i < 32 && ((mask >>> i) & 1) === 1;
}

/** One sparse spec entry applied to one input dimension. */
interface DenseEntry {
  begin: number;
  end: number;
  stride: number;
  beginMasked: boolean;
  endMasked: boolean;
  shrink: boolean;
}

const FULL_RANGE: DenseEntry = { begin: 0, end: 0, stride: 1, beginMasked: true, endMasked: true, shrink: false };
const NEW_AXIS = -1;
const SHRUNK_AXIS = -2;

function validateStridedSliceSpec({ begin, end, strides, masks }: StridedSliceAttrs): void {
  for (const [name, mask] of Object.entries(masks)) {
    if (!Number.isInteger(mask) || mask < 0) {
      throw new InvalidArgumentError(`stridedSlice: ${name} must be a non-negative integer bit mask, got ${mask}.`);
    }
  }
  assertIntArray('stridedSlice', 'begin', begin);
  assertIntArray('stridedSlice', 'end', end, begin.length);
  assertIntArray('stridedSlice', 'strides', strides, begin.length);
  const zero = strides.indexOf(0);
  if (zero >= 0) {
    throw new InvalidArgumentError(`stridedSlice: strides[${zero}] is 0; every stride must be non-zero.`);
  }
}

/**
 * Expands the sparse spec (with its ellipsis and new axes) into one entry per input dimension,
 * and records where each output dimension comes from (an input dimension, NEW_AXIS or SHRUNK_AXIS).
 * This follows TensorFlow's BuildDenseSpec.
 */
function densify(rank: number, attrs: StridedSliceAttrs): { dense: DenseEntry[]; outputSources: number[] } {
  const { begin, end, strides, masks } = attrs;
  let ellipsisAt = -1;
  let newAxesAfterEllipsis = 0;
  for (let i = 0; i < begin.length; i++) {
    if (ellipsisAt >= 0 && hasBit(masks.newAxisMask, i)) newAxesAfterEllipsis++;
    if (hasBit(masks.ellipsisMask, i)) {
      if (ellipsisAt >= 0) {
        throw new InvalidArgumentError(`stridedSlice: ellipsisMask ${masks.ellipsisMask} sets more than one bit; at most one ellipsis is allowed.`);
      }
      ellipsisAt = i;
    }
  }
  // Without an ellipsis, one is implied after the last entry.
  const sparseLength = ellipsisAt >= 0 ? begin.length : begin.length + 1;
  if (ellipsisAt < 0) ellipsisAt = begin.length;

  const dense: DenseEntry[] = [];
  const outputSources: number[] = [];
  for (let i = 0; i < sparseLength; i++) {
    if (i === ellipsisAt) {
      const next = Math.min(rank - (sparseLength - i) + 1 + newAxesAfterEllipsis, rank);
      while (dense.length < next) {
        outputSources.push(dense.length);
        dense.push(FULL_RANGE);
      }
    } else if (hasBit(masks.newAxisMask, i)) {
      outputSources.push(NEW_AXIS);
    } else {
      if (dense.length === rank) {
        throw new InvalidArgumentError(
          rank === 0
            ? 'stridedSlice: cannot slice a scalar (rank 0); only new axes can be added to it.'
            : `stridedSlice: the spec has more indexed entries than x has dimensions (${rank}); remove entries or use newAxisMask for new dimensions.`,
        );
      }
      const shrink = hasBit(masks.shrinkAxisMask, i);
      outputSources.push(shrink ? SHRUNK_AXIS : dense.length);
      dense.push({
        begin: begin[i]!,
        end: end[i]!,
        stride: strides[i]!,
        beginMasked: hasBit(masks.beginMask, i),
        endMasked: hasBit(masks.endMask, i),
        shrink,
      });
    }
  }
  return { dense, outputSources };
}

/** Resolves begin/end of one dimension to a start index and an element count, clamping as TF. */
function resolveDimension(entry: DenseEntry, size: number, axis: number, shape: readonly number[]): { begin: number; count: number } {
  const { stride } = entry;
  if (entry.shrink) {
    if (stride < 0) {
      throw new InvalidArgumentError(`stridedSlice: dimension ${axis} is shrunk (a single index) but its stride is ${stride}; use a positive stride there.`);
    }
    const index = entry.begin < 0 ? entry.begin + size : entry.begin;
    if (index < 0 || index >= size) {
      throw new InvalidArgumentError(
        `stridedSlice: index ${entry.begin} is out of range for dimension ${axis} of x with shape ${formatShape(shape)}; it must be in [${-size}, ${size - 1}].`,
      );
    }
    return { begin: index, count: 1 };
  }
  // Valid positions are [0, size] going forwards and [-1, size - 1] going backwards.
  const low = stride > 0 ? 0 : -1;
  const high = stride > 0 ? size : size - 1;
  const canonical = (value: number, masked: boolean, isEnd: boolean): number => {
    if (masked) return (stride > 0) !== isEnd ? low : high;
    const forward = value < 0 ? value + size : value;
    return Math.min(Math.max(forward, low), high);
  };
  const begin = canonical(entry.begin, entry.beginMasked, false);
  const end = canonical(entry.end, entry.endMasked, true);
  const length = end - begin;
  const empty = length === 0 || length < 0 !== stride < 0;
  return { begin, count: empty ? 0 : Math.ceil(length / stride) };
}

function resolveStridedSlice(shape: readonly number[], attrs: StridedSliceAttrs): ResolvedStridedSlice {
  validateStridedSliceSpec(attrs);
  const { dense, outputSources } = densify(shape.length, attrs);
  const begin: number[] = [];
  const counts: number[] = [];
  dense.forEach((entry, axis) => {
    const r = resolveDimension(entry, shape[axis]!, axis, shape);
    begin.push(r.begin);
    counts.push(r.count);
  });
  const outShape: number[] = [];
  for (const source of outputSources) {
    if (source === NEW_AXIS) outShape.push(1);
    else if (source !== SHRUNK_AXIS) outShape.push(counts[source]!);
  }
  return { begin, strides: dense.map((e) => e.stride), counts, shape: outShape };
}

const stridedSliceOp: OpDef<StridedSliceAttrs> = {
  name: 'stridedSlice',
  infer([x], attrs) {
    return [{ shape: resolveStridedSlice(x!.shape, attrs).shape, dtype: x!.dtype }];
  },
  kernel([x], [out], attrs) {
    const r = resolveStridedSlice(x!.shape, attrs);
    // The kernel sees the output with one dimension per input dimension.
    kernels().stridedSlice(x!, r.begin, r.strides, { shape: r.counts, dtype: out!.dtype, values: out!.values });
  },
  grad: ([dy], [x], _o, attrs) => [placeStridedSlice(dy!, x!.shape, resolveStridedSlice(x!.shape, attrs))],
};

/** Inserts `step - 1` zeros after every element along `axis`. */
function spreadAlongAxis(x: Tensor, axis: number, step: number): Tensor {
  const withGapAxis = x.shape.slice();
  withGapAxis.splice(axis + 1, 0, 1);
  const gapPaddings: [number, number][] = withGapAxis.map(() => [0, 0]);
  gapPaddings[axis + 1] = [0, step - 1];
  const spread = x.shape.slice();
  spread[axis] = x.shape[axis]! * step;
  return reshape(padWithZeros(reshape(x, withGapAxis), gapPaddings), spread);
}

/**
 * The gradient of a strided slice: `dy` written into zeros of `xShape` at the sliced positions,
 * built from reverse (negative strides), zero-interleaving (|stride| > 1), slice and pad.
 */
function placeStridedSlice(dy: Tensor, xShape: readonly number[], r: ResolvedStridedSlice): Tensor {
  if (r.counts.some((c) => c === 0)) return zeros(xShape, dy.dtype);
  let g = reshape(dy, r.counts);
  const backwards = r.strides.flatMap((s, axis) => (s < 0 && r.counts[axis]! > 1 ? [axis] : []));
  if (backwards.length > 0) g = reverse(g, backwards);
  const first: number[] = [];
  r.strides.forEach((stride, axis) => {
    const count = r.counts[axis]!;
    const step = Math.abs(stride);
    first.push(stride < 0 ? r.begin[axis]! + (count - 1) * stride : r.begin[axis]!);
    if (step > 1 && count > 1) g = spreadAlongAxis(g, axis, step);
  });
  // Spreading leaves trailing zeros that may run past the end of x.
  const fits = g.shape.map((len, axis) => Math.min(len, xShape[axis]! - first[axis]!));
  if (fits.some((len, axis) => len !== g.shape[axis])) g = runOp1(sliceOp, [g], { begin: fits.map(() => 0), size: fits });
  return padWithZeros(g, first.map((b, axis) => [b, xShape[axis]! - b - fits[axis]!] as const));
}

/**
 * Extracts a strided slice of `x`, with TensorFlow's full semantics: negative indices count from
 * the end, out-of-range begin/end are clamped, strides may be negative, and bit masks mark
 * entries whose begin/end are ignored, an ellipsis, new axes and shrunk (single-index) axes.
 * `strides` defaults to all ones.
 *
 * @example
 * ```ts
 * const x = nb.reshape(nb.range(12), [3, 4]);
 * nb.stridedSlice(x, [0, 1], [3, 4], [2, 2]);                       // x[0:3:2, 1:4:2] = [[1, 3], [9, 11]]
 * nb.stridedSlice(x, [0, -1], [0, 0], [1, -1], {beginMask: 3, endMask: 3}); // x[:, ::-1]
 * nb.stridedSlice(x, [1], [2], [1], {shrinkAxisMask: 1});          // x[1] = [4, 5, 6, 7]
 * ```
 */
export function stridedSlice(
  x: TensorLike,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  options: StridedSliceOptions = {},
): Tensor {
  const t = toTensor(x, 'stridedSlice', 'x');
  const masks: Required<StridedSliceOptions> = {
    beginMask: options.beginMask ?? 0,
    endMask: options.endMask ?? 0,
    ellipsisMask: options.ellipsisMask ?? 0,
    newAxisMask: options.newAxisMask ?? 0,
    shrinkAxisMask: options.shrinkAxisMask ?? 0,
  };
  const s = strides ?? (Array.isArray(begin) ? new Array<number>(begin.length).fill(1) : []);
  return runOp1(stridedSliceOp, [t], { begin: snapshot(begin), end: snapshot(end), strides: snapshot(s), masks });
}

// ---------------------------------------------------------------------------------------------
// pad / mirrorPad

type Paddings = readonly (readonly [number, number])[];

interface PadAttrs {
  paddings: Paddings;
  mode: PadMode;
  constantValue: number;
}

function validatePaddings(x: TensorSpec, { paddings, mode }: PadAttrs, op: string): void {
  const rank = x.shape.length;
  const wellFormed =
    Array.isArray(paddings) &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!wellFormed || paddings.length !== rank) {
    throw new InvalidArgumentError(
      `${op}: paddings must be ${rank} pairs [before, after] of non-negative integers for x with shape ${formatShape(x.shape)}, got ${JSON.stringify(paddings)}.`,
    );
  }
  if (mode === 'constant') return;
  // reflect mirrors around the edge element, so it can reach one element less far than symmetric.
  const reach = (size: number): number => (mode === 'reflect' ? Math.max(size - 1, 0) : size);
  paddings.forEach(([before, after], i) => {
    const limit = reach(x.shape[i]!);
    if (before > limit || after > limit) {
      throw new InvalidArgumentError(
        `${op}: paddings[${i}] = [${before}, ${after}] is too large for dimension ${i} of x with shape ${formatShape(x.shape)}; ` +
          `in ${mode} mode each side may add at most ${limit} (the size${mode === 'reflect' ? ' minus 1' : ''}).`,
      );
    }
  });
}

function validateConstant(x: TensorSpec, value: number, op: string): void {
  if (x.dtype === 'int32' && !Number.isInteger(value)) {
    throw new DTypeError(`${op}: constantValue ${value} is not an integer, so it cannot pad an int32 tensor; round it or cast x to float32.`);
  }
  if (x.dtype === 'bool' && value !== 0 && value !== 1) {
    throw new DTypeError(`${op}: constantValue ${value} cannot pad a bool tensor; use true/false (or 1/0).`);
  }
}

const padOp: OpDef<PadAttrs> = {
  name: 'pad',
  infer([x], attrs) {
    validatePaddings(x!, attrs, attrs.mode === 'constant' ? 'pad' : 'mirrorPad');
    validateConstant(x!, attrs.constantValue, 'pad');
    return [{ shape: x!.shape.map((d, i) => d + attrs.paddings[i]![0] + attrs.paddings[i]![1]), dtype: x!.dtype }];
  },
  kernel([x], [out], { paddings, mode, constantValue }) {
    kernels().pad(x!, paddings, mode, constantValue, out!);
  },
  grad: ([dy], [x], _o, { paddings, mode }) => {
    if (mode === 'constant') {
      return [runOp1(sliceOp, [dy!], { begin: paddings.map((p) => p[0]), size: x!.shape.slice() })];
    }
    return [foldMirrorPadding(dy!, paddings, mode, x!.shape)];
  },
};

function padWithZeros(x: Tensor, paddings: Paddings): Tensor {
  if (paddings.every(([before, after]) => before === 0 && after === 0)) return x;
  return runOp1(padOp, [x], { paddings, mode: 'constant', constantValue: 0 });
}

function padAxisWithZeros(x: Tensor, axis: number, before: number, after: number): Tensor {
  const paddings: [number, number][] = x.shape.map(() => [0, 0]);
  paddings[axis] = [before, after];
  return padWithZeros(x, paddings);
}

/**
 * The gradient of mirror padding: per dimension, the padded borders are flipped and added back
 * onto the input positions they were copied from.
 */
function foldMirrorPadding(dy: Tensor, paddings: Paddings, mode: 'reflect' | 'symmetric', xShape: readonly number[]): Tensor {
  const shift = mode === 'reflect' ? 1 : 0;
  let g = dy;
  paddings.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const size = xShape[axis]!;
    let folded = sliceAxis(g, axis, before, size);
    if (before > 0) {
      // Border position i copied input position before - i (reflect) or before - 1 - i (symmetric).
      const left = reverse(sliceAxis(g, axis, 0, before), axis);
      folded = add(folded, padAxisWithZeros(left, axis, shift, size - shift - before));
    }
    if (after > 0) {
      const right = reverse(sliceAxis(g, axis, before + size, after), axis);
      folded = add(folded, padAxisWithZeros(right, axis, size - shift - after, shift));
    }
    g = folded;
  });
  return g;
}

export type PadModeName = PadMode | 'CONSTANT' | 'REFLECT' | 'SYMMETRIC';

/** Options of `pad`, as TensorFlow's `mode` and `constant_values`. */
export interface PadOptions {
  /** 'constant' (default) fills with `constantValue`; 'reflect' and 'symmetric' mirror the edges. */
  mode?: PadModeName;
  constantValue?: number | boolean;
}

function normalizePadMode(mode: unknown, op: string): PadMode {
  const lower = typeof mode === 'string' ? mode.toLowerCase() : mode;
  if (lower !== 'constant' && lower !== 'reflect' && lower !== 'symmetric') {
    throw new InvalidArgumentError(`${op}: mode must be 'constant', 'reflect' or 'symmetric', got ${JSON.stringify(mode)}.`);
  }
  return lower;
}

/**
 * Pads `x` with `paddings[i] = [before, after]` elements on each side of dimension i. The new
 * elements are `constantValue` (default 0), or, with `{mode: 'reflect' | 'symmetric'}`, mirrored
 * copies of the edges (see `mirrorPad`).
 *
 * @example
 * ```ts
 * nb.pad(nb.tensor([1, 2]), [[1, 2]]);                        // [0, 1, 2, 0, 0]
 * nb.pad(nb.tensor([[1, 2]]), [[0, 0], [1, 1]], 9);           // [[9, 1, 2, 9]]
 * nb.pad(nb.tensor([1, 2, 3]), [[2, 0]], {mode: 'reflect'});  // [3, 2, 1, 2, 3]
 * ```
 */
export function pad(x: TensorLike, paddings: Paddings, constantValueOrOptions: number | boolean | PadOptions = 0): Tensor {
  const t = toTensor(x, 'pad', 'x');
  const options = typeof constantValueOrOptions === 'object' && constantValueOrOptions !== null ? constantValueOrOptions : { constantValue: constantValueOrOptions };
  const mode = normalizePadMode(options.mode ?? 'constant', 'pad');
  const value = options.constantValue ?? 0;
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new InvalidArgumentError(`pad: constantValue must be a number or a boolean, got ${typeof value}.`);
  }
  if (mode !== 'constant' && value !== 0) {
    throw new InvalidArgumentError(`pad: constantValue ${String(value)} only applies to mode 'constant', not '${mode}'.`);
  }
  return runOp1(padOp, [t], { paddings: snapshot(paddings), mode, constantValue: Number(value) });
}

/**
 * Pads `x` by mirroring it at its edges. 'reflect' does not repeat the edge element (each side may
 * add at most size - 1); 'symmetric' does (at most size).
 *
 * @example
 * ```ts
 * nb.mirrorPad(nb.tensor([1, 2, 3]), [[2, 2]], 'reflect');     // [3, 2, 1, 2, 3, 2, 1]
 * nb.mirrorPad(nb.tensor([1, 2, 3]), [[2, 2]], 'symmetric');   // [2, 1, 1, 2, 3, 3, 2]
 * ```
 */
export function mirrorPad(x: TensorLike, paddings: Paddings, mode: 'reflect' | 'symmetric' | 'REFLECT' | 'SYMMETRIC'): Tensor {
  const t = toTensor(x, 'mirrorPad', 'x');
  const m = normalizePadMode(mode, 'mirrorPad');
  if (m === 'constant') {
    throw new InvalidArgumentError(`mirrorPad: mode must be 'reflect' or 'symmetric', got ${JSON.stringify(mode)}; use nb.pad for constant padding.`);
  }
  return runOp1(padOp, [t], { paddings: snapshot(paddings), mode: m, constantValue: 0 });
}
