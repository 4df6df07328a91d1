import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { Conv2DInfo } from '../backend/kernels.js';
import { reshape } from './reshape.js';

/**
 * Explicit padding of the two spatial dims: `[[top, bottom], [left, right]]`, or TensorFlow's
 * NHWC form with zero batch and channel pairs: `[[0, 0], [top, bottom], [left, right], [0, 0]]`.
 */
export type ExplicitPadding = readonly (readonly [number, number])[];

/**
 * How a convolution or pooling window treats the borders: `'valid'` (no padding), `'same'`
 * (TensorFlow's rule: output size = ceil(input / stride)), a number (that many zeros on every
 * side), or explicit amounts per side.
 */
export type Padding = 'same' | 'valid' | number | ExplicitPadding;

/** One value for both spatial dims, or `[height, width]`. */
export type Pair = number | readonly [number, number];

/** Padding resolved to TensorFlow's named rules or amounts per side. */
export type PadRule = 'same' | 'valid' | { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };

/** Validated window geometry shared by an op and the ops of its gradient. */
export interface ConvGeometry {
  /** Public op name used in error messages. */
  readonly op: string;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly pad: PadRule;
}

/** Spatial size and channel layout of a filter or pooling window. */
export interface WindowSpec {
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  readonly channelMultiplier: number;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

/** Resolves `n` or `[h, w]` to a pair of positive integers, naming `what` (strides, dilations) on error. */
export function normalizePair(op: string, what: string, value: Pair): [number, number] {
  const pair: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    throw new InvalidArgumentError(
      `${op}: ${what} must be a positive integer or a pair [height, width] of positive integers, got ${describe(value)}.`,
    );
  }
  return [pair[0] as number, pair[1] as number];
}

function isPadAmount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

function isPadPair(p: unknown): p is readonly [number, number] {
  return Array.isArray(p) && p.length === 2 && isPadAmount(p[0]) && isPadAmount(p[1]);
}

function explicitPadRule(op: string, pad: ExplicitPadding): PadRule {
  const pairs = pad as readonly unknown[];
  const valid = pairs.every(isPadPair);
  if (valid && pairs.length === 2) {
    const [[top, bottom], [left, right]] = pad as readonly [readonly [number, number], readonly [number, number]];
    return { top, bottom, left, right };
  }
  if (valid && pairs.length === 4) {
    const [n, h, w, c] = pad as readonly (readonly [number, number])[];
    if (n![0] === 0 && n![1] === 0 && c![0] === 0 && c![1] === 0) return { top: h![0], bottom: h![1], left: w![0], right: w![1] };
    throw new InvalidArgumentError(
      `${op}: explicit padding of the batch and channel dimensions must be [0, 0], got ${describe(pad)}; pad only height and width.`,
    );
  }
  throw new InvalidArgumentError(
    `${op}: explicit padding must be [[top, bottom], [left, right]] (or [[0, 0], [top, bottom], [left, right], [0, 0]]) ` +
      `of non-negative integers, got ${describe(pad)}.`,
  );
}

/** Validates `pad` and resolves it to a rule. */
export function normalizePad(op: string, pad: Padding): PadRule {
  if (pad === 'same' || pad === 'valid') return pad;
  if (typeof pad === 'number') {
    if (!isPadAmount(pad)) {
      throw new InvalidArgumentError(`${op}: numeric padding must be a non-negative integer, got ${pad}.`);
    }
    return { top: pad, bottom: pad, left: pad, right: pad };
  }
  if (Array.isArray(pad)) return explicitPadRule(op, pad);
  throw new InvalidArgumentError(
    `${op}: pad must be 'same', 'valid', a non-negative integer or explicit [[top, bottom], [left, right]], got ${describe(pad)}.`,
  );
}

/**
 * Validates strides, padding and dilations. As TensorFlow, strides > 1 cannot be combined with
 * dilations > 1.
 */
export function convGeometry(op: string, strides: Pair, pad: Padding, dilations: Pair = 1): ConvGeometry {
  const s = normalizePair(op, 'strides', strides);
  const d = normalizePair(op, 'dilations', dilations);
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
    throw new InvalidArgumentError(
      `${op}: strides ${formatShape(s)} and dilations ${formatShape(d)} cannot both exceed 1 (TensorFlow does not support it); ` +
        `use strides 1 with dilations, or dilations 1 with strides.`,
    );
  }
  return { op, strides: s, dilations: d, pad: normalizePad(op, pad) };
}

/** Only NHWC (channels last) is supported, the layout of Keras weights. */
export function checkDataFormat(op: string, dataFormat: string): void {
  if (dataFormat !== 'NHWC') {
    throw new InvalidArgumentError(
      `${op}: dataFormat must be 'NHWC' (channels last), got ${describe(dataFormat)}; transpose NCHW input with perm [0, 2, 3, 1].`,
    );
  }
}

function padDescription(pad: PadRule): string {
  return typeof pad === 'string' ? `'${pad}'` : `[[${pad.top},${pad.bottom}],[${pad.left},${pad.right}]]`;
}

/** Output size and leading padding of one spatial dim. Unknown input sizes (-1) give -1. */
function windowedDim(
  geom: ConvGeometry, dim: 'height' | 'width', inSize: number, filter: number, xShape: Shape,
): { out: number; padBefore: number } {
  const h = dim === 'height';
  const stride = geom.strides[h ? 0 : 1];
  const effective = (filter - 1) * geom.dilations[h ? 0 : 1] + 1;
  const pad = geom.pad;
  if (pad === 'same') {
    const out = inSize < 0 ? -1 : Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + effective - inSize, 0);
    return { out, padBefore: Math.floor(total / 2) };
  }
  const before = pad === 'valid' ? 0 : h ? pad.top : pad.left;
  const after = pad === 'valid' ? 0 : h ? pad.bottom : pad.right;
  if (inSize < 0) return { out: -1, padBefore: before };
  const padded = inSize + before + after;
  if (padded < effective) {
    const dilated = effective !== filter ? ` (${effective} once dilated)` : '';
    throw new ShapeError(
      `${geom.op}: the window ${dim} ${filter}${dilated} does not fit the input ${dim} ${inSize} of shape ${formatShape(xShape)} ` +
        `with padding ${padDescription(pad)}; use 'same' padding, a larger input or a smaller window.`,
    );
  }
  return { out: Math.floor((padded - effective) / stride) + 1, padBefore: before };
}

/** Resolves the full geometry of a window sliding over NHWC input `xShape`. */
export function computeConv2DInfo(geom: ConvGeometry, xShape: Shape, window: WindowSpec): Conv2DInfo {
  const [batch, inHeight, inWidth, inChannels] = xShape as [number, number, number, number];
  const rows = windowedDim(geom, 'height', inHeight, window.height, xShape);
  const cols = windowedDim(geom, 'width', inWidth, window.width, xShape);
  return {
    batch, inHeight, inWidth, inChannels,
    outHeight: rows.out,
    outWidth: cols.out,
    outChannels: window.outChannels,
    filterHeight: window.height,
    filterWidth: window.width,
    strideHeight: geom.strides[0],
    strideWidth: geom.strides[1],
    dilationHeight: geom.dilations[0],
    dilationWidth: geom.dilations[1],
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
    channelMultiplier: window.channelMultiplier,
  };
}

/** The NHWC output shape for `info`. */
export function outputShapeOf(info: Conv2DInfo): number[] {
  return [info.batch, info.outHeight, info.outWidth, info.outChannels];
}

/** Throws a ShapeError unless `shape` has rank 4 (NHWC). */
export function assertImageRank4(op: string, what: string, shape: Shape, layout: string): void {
  if (shape.length !== 4) {
    throw new ShapeError(`${op}: ${what} must be rank 4 ${layout}, got shape ${formatShape(shape)}.`);
  }
}

/**
 * Runs `fn` on a rank-4 NHWC view of `x`: a rank-3 image [H, W, C] gets a batch of 1, which is
 * removed from the result again.
 */
export function withBatch(op: string, what: string, x: Tensor, fn: (x4: Tensor) => Tensor): Tensor {
  if (x.rank === 4) return fn(x);
  if (x.rank === 3) {
    const y = fn(reshape(x, [1, ...x.shape]));
    return reshape(y, y.shape.slice(1));
  }
  throw new ShapeError(
    `${op}: ${what} must be rank 4 [batch, height, width, channels] or rank 3 [height, width, channels], ` +
      `got shape ${formatShape(x.shape)}; reshape it to NHWC.`,
  );
}
