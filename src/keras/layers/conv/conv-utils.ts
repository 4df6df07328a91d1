// Argument normalisation and output-length rules shared by the convolution, pooling and
// image-reshaping layers (Keras's conv_utils).
import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { uniqueLayerName, type LayerArgs } from '../../engine/layer.js';

/** The only image layout the layers support: `[batch, ...spatial, channels]`. */
export type DataFormat = 'channelsLast';

/** Spellings accepted for `dataFormat` (anything but channels-last is rejected with an error). */
export type DataFormatArg = 'channelsLast' | 'channels_last' | 'channelsFirst' | 'channels_first';

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
}

/** `'channelsLast'` (or Keras's `'channels_last'`); anything else is a clear error. */
export function normalizeDataFormat(layer: string, value: unknown): DataFormat {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'channels_first') {
    throw new InvalidArgumentError(
      `${layer}: dataFormat ${describe(value)} is not supported; only 'channelsLast' (NHWC) is. Transpose the input to channels-last (nb.transpose(x, [0, 2, 3, 1])) and use dataFormat 'channelsLast'.`,
    );
  }
  throw new InvalidArgumentError(`${layer}: dataFormat must be 'channelsLast', got ${describe(value)}.`);
}

/**
 * A number or an n-tuple of integers as an n-tuple (Keras's normalize_tuple). Values must be
 * positive (or >= 0 with `allowZero`).
 */
export function normalizeTuple(layer: string, what: string, value: unknown, n: number, allowZero = false): number[] {
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= (allowZero ? 0 : 1);
  const kind = allowZero ? 'non-negative' : 'positive';
  if (typeof value === 'number' && ok(value)) return new Array<number>(n).fill(value);
  if (Array.isArray(value) && value.length === n && value.every(ok)) return [...(value as number[])];
  const tuple = n === 1 ? `[n]` : `a tuple of ${n} ${kind} integers`;
  throw new InvalidArgumentError(`${layer}: ${what} must be a ${kind} integer or ${tuple}, got ${describe(value)}.`);
}

/** Lower-cased padding mode, checked against `allowed`. */
export function normalizePadding<P extends string>(layer: string, value: unknown, allowed: readonly P[], fallback: P): P {
  if (value === undefined || value === null) return fallback;
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  if (!allowed.includes(lower as P)) {
    throw new InvalidArgumentError(`${layer}: padding must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}.`);
  }
  return lower as P;
}

/** Effective size of a kernel with `dilation - 1` gaps between its taps. */
export function dilatedSize(kernel: number, dilation: number): number {
  return kernel + (kernel - 1) * (dilation - 1);
}

/** Output length of a convolution or pooling window along one axis (null stays null). */
export function convOutputLength(length: number | null, kernel: number, padding: string, stride: number, dilation = 1): number | null {
  if (length === null) return null;
  const k = dilatedSize(kernel, dilation);
  const out = padding === 'valid' ? length - k + 1 : length;
  return Math.floor((out + stride - 1) / stride);
}

/** Output length of a transposed convolution along one axis (Keras's deconv_output_length). */
export function deconvOutputLength(
  length: number | null,
  kernel: number,
  padding: string,
  outputPadding: number | null,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const k = dilatedSize(kernel, dilation);
  if (outputPadding === null) {
    return padding === 'valid' ? length * stride + Math.max(k - stride, 0) : length * stride;
  }
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (length - 1) * stride + k - 2 * pad + outputPadding;
}

/** `(None, 5, 5, 3)`, as Keras prints shapes. */
export function showShape(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : d)).join(', ')})`;
}

/** Throws when a window does not fit in the input (an output length below 1). */
export function assertPositiveOutput(layer: string, inputShape: SymbolicShape, outputSpatial: readonly (number | null)[], detail: string): void {
  if (outputSpatial.some((d) => d !== null && d < 1)) {
    throw new ShapeError(
      `${layer}: input of shape ${showShape(inputShape)} is too small for ${detail}: the output would have spatial size ` +
        `(${outputSpatial.join(', ')}). Use a larger input, a smaller window, or padding 'same'.`,
    );
  }
}

/**
 * Padding or cropping amounts of the two spatial dims, from `n`, `[h, w]` (symmetric) or
 * `[[top, bottom], [left, right]]`.
 */
export function normalizePadding2D(layer: string, what: string, value: unknown): [[number, number], [number, number]] {
  const amount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  if (amount(value)) return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    const [a, b] = value as unknown[];
    if (amount(a) && amount(b)) return [[a, a], [b, b]];
    const pair = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && amount(p[0]) && amount(p[1]);
    if (pair(a) && pair(b)) return [[a[0], a[1]], [b[0], b[1]]];
  }
  throw new InvalidArgumentError(
    `${layer}: ${what} must be a non-negative integer, [height, width] or [[top, bottom], [left, right]] of non-negative integers, got ${describe(value)}.`,
  );
}

/**
 * Keras's to_snake_case: `Conv2DTranspose` → `conv2d_transpose`, `MaxPooling2D` →
 * `max_pooling2d`, `BatchNormalization` → `batch_normalization`.
 */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * `args` with a default layer name as Keras spells it (`conv2d`, `conv2d_1`, ...) when none is
 * given. (The engine's generic toSnakeCase splits digit-capital pairs: `conv2_d`.)
 */
export function withKerasName<A extends LayerArgs>(cls: { readonly className: string }, args: A): A {
  if (args === undefined || args === null || typeof args !== 'object' || args.name !== undefined) return args;
  return { ...args, name: uniqueLayerName(kerasSnakeCase(cls.className)) };
}
