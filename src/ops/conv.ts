import { assertDTypeIn } from '../core/dtype.js';
import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape, shapesEqual, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { Conv2DInfo } from '../backend/kernels.js';
import { runOp1, type OpDef, type TensorSpec } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { FLOAT } from './dtype-sets.js';
import { reshape } from './reshape.js';
import {
  assertImageRank4, checkDataFormat, computeConv2DInfo, convGeometry, outputShapeOf, withBatch,
  type ConvGeometry, type Padding, type Pair,
} from './conv-util.js';

/** The two filter conventions: conv2d's HWIO and depthwise's [fh, fw, inChannels, multiplier]. */
type ConvKind = 'conv2d' | 'depthwiseConv2d';

const FILTER_LAYOUT: Record<ConvKind, string> = {
  conv2d: '[filterHeight, filterWidth, inChannels, outChannels]',
  depthwiseConv2d: '[filterHeight, filterWidth, inChannels, channelMultiplier]',
};
const NHWC = '[batch, height, width, channels]';

export interface ForwardAttrs {
  geom: ConvGeometry;
}
interface BackpropInputAttrs {
  geom: ConvGeometry;
  inputShape: Shape;
}
interface BackpropFilterAttrs {
  geom: ConvGeometry;
  filterShape: Shape;
}

/**
 * Validates an input/filter pair of shapes and resolves the window geometry; the source of every
 * shape error of the conv ops and their gradients.
 */
export function convInfo(kind: ConvKind, geom: ConvGeometry, xShape: Shape, filterShape: Shape): Conv2DInfo {
  const op = geom.op;
  assertImageRank4(op, 'x', xShape, NHWC);
  if (filterShape.length !== 4) {
    throw new ShapeError(
      `${op}: filter must be rank 4 ${FILTER_LAYOUT[kind]}, got shape ${formatShape(filterShape)} for input x of shape ` +
        `${formatShape(xShape)}; reshape the filter to rank 4.`,
    );
  }
  const [fh, fw, inC, last] = filterShape as [number, number, number, number];
  if (xShape[3] !== inC && xShape[3]! >= 0 && inC >= 0) {
    throw new ShapeError(
      `${op}: x has ${xShape[3]} channels (shape ${formatShape(xShape)}) but the filter expects ${inC} input channels ` +
        `(shape ${formatShape(filterShape)}); the filter's third dimension must equal x's last dimension.`,
    );
  }
  const depthwise = kind === 'depthwiseConv2d';
  return computeConv2DInfo(geom, xShape, {
    height: fh,
    width: fw,
    outChannels: depthwise ? inC * last : last,
    channelMultiplier: depthwise ? last : 1,
  });
}

/** Throws unless `dy` has the shape the forward op produces for `info`. */
function checkDy(geom: ConvGeometry, dyShape: Shape, info: Conv2DInfo, from: string): void {
  assertImageRank4(geom.op, 'dy', dyShape, NHWC);
  const expected = outputShapeOf(info);
  if (!shapesEqual(dyShape, expected)) {
    throw new ShapeError(
      `${geom.op}: dy has shape ${formatShape(dyShape)} but the convolution of ${from} produces ${formatShape(expected)}; ` +
        `dy must have the forward output's shape.`,
    );
  }
}

function assertFloat(op: string, ...args: [string, TensorSpec][]): void {
  for (const [name, t] of args) assertDTypeIn(op, name, t.dtype, FLOAT);
}

function assertShapeArg(op: string, what: string, shape: Shape): void {
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(
      `${op}: ${what} must be 4 non-negative integers ${NHWC} (or 3 without the batch), got ${JSON.stringify(shape)}.`,
    );
  }
}

/** The forward op and its two backprop ops; each one's gradient is written with the other two. */
interface ConvFamily {
  readonly forward: OpDef<ForwardAttrs>;
  readonly backpropInput: OpDef<BackpropInputAttrs>;
  readonly backpropFilter: OpDef<BackpropFilterAttrs>;
}

function defineConvFamily(kind: ConvKind): ConvFamily {
  const inputKernel = kind === 'conv2d' ? 'conv2dBackpropInput' : 'depthwiseConv2dBackpropInput';
  const filterKernel = kind === 'conv2d' ? 'conv2dBackpropFilter' : 'depthwiseConv2dBackpropFilter';

  const forward: OpDef<ForwardAttrs> = {
    name: kind,
    infer([x, filter], { geom }) {
      assertFloat(geom.op, ['x', x!], ['filter', filter!]);
      return [{ shape: outputShapeOf(convInfo(kind, geom, x!.shape, filter!.shape)), dtype: 'float32' }];
    },
    kernel([x, filter], [out], { geom }) {
      kernels()[kind](x!, filter!, out!, convInfo(kind, geom, x!.shape, filter!.shape));
    },
    grad: ([dy], [x, filter], _outputs, { geom }, needed) => [
      needed?.[0] === false ? null : runOp1(backpropInput, [dy!, filter!], { geom, inputShape: x!.shape }),
      needed?.[1] === false ? null : runOp1(backpropFilter, [x!, dy!], { geom, filterShape: filter!.shape }),
    ],
  };

  // dx = B(dy, filter) is bilinear and the adjoint of the forward op in x.
  const backpropInput: OpDef<BackpropInputAttrs> = {
    name: inputKernel,
    infer([dy, filter], { geom, inputShape }) {
      assertFloat(geom.op, ['dy', dy!], ['filter', filter!]);
      const info = convInfo(kind, geom, inputShape, filter!.shape);
      checkDy(geom, dy!.shape, info, `an input of shape ${formatShape(inputShape)}`);
      return [{ shape: inputShape.slice(), dtype: 'float32' }];
    },
    kernel([dy, filter], [out], { geom, inputShape }) {
      kernels()[inputKernel](dy!, filter!, out!, convInfo(kind, geom, inputShape, filter!.shape));
    },
    grad: ([ddx], [dy, filter], _outputs, { geom }) => [
      runOp1(forward, [ddx!, filter!], { geom }),
      runOp1(backpropFilter, [ddx!, dy!], { geom, filterShape: filter!.shape }),
    ],
  };

  // dfilter = F(x, dy) is bilinear and the adjoint of the forward op in the filter.
  const backpropFilter: OpDef<BackpropFilterAttrs> = {
    name: filterKernel,
    infer([x, dy], { geom, filterShape }) {
      assertFloat(geom.op, ['x', x!], ['dy', dy!]);
      const info = convInfo(kind, geom, x!.shape, filterShape);
      checkDy(geom, dy!.shape, info, `x of shape ${formatShape(x!.shape)}`);
      return [{ shape: filterShape.slice(), dtype: 'float32' }];
    },
    kernel([x, dy], [out], { geom, filterShape }) {
      kernels()[filterKernel](x!, dy!, out!, convInfo(kind, geom, x!.shape, filterShape));
    },
    grad: ([dfilter], [x, dy], _outputs, { geom }) => [
      runOp1(backpropInput, [dy!, dfilter!], { geom, inputShape: x!.shape }),
      runOp1(forward, [x!, dfilter!], { geom }),
    ],
  };

  return { forward, backpropInput, backpropFilter };
}

export const conv2dOps = defineConvFamily('conv2d');
const depthwiseOps = defineConvFamily('depthwiseConv2d');

function runForward(family: ConvFamily, op: string, x: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dataFormat: string, dilations: Pair): Tensor {
  const xt = toTensor(x, op, 'x');
  const ft = toTensor(filter, op, 'filter');
  checkDataFormat(op, dataFormat);
  const geom = convGeometry(op, strides, pad, dilations);
  return withBatch(op, 'x', xt, (x4) => runOp1(family.forward, [x4, ft], { geom }));
}

/** Adds a batch of one to a rank-3 dy when the target shape is rank 3. */
function batchedShapes(op: string, shape: Shape, dy: Tensor): { shape4: Shape; dy4: Tensor; unbatch: boolean } {
  if (shape.length === 3 && dy.rank === 3) return { shape4: [1, ...shape], dy4: reshape(dy, [1, ...dy.shape]), unbatch: true };
  if (shape.length !== 4 || dy.rank !== 4) {
    throw new ShapeError(
      `${op}: the input shape ${formatShape(shape)} and dy ${formatShape(dy.shape)} must both be rank 4 ${NHWC} or both rank 3; ` +
        `add or remove the batch dimension.`,
    );
  }
  return { shape4: shape, dy4: dy, unbatch: false };
}

function runBackpropInput(family: ConvFamily, op: string, inputShape: Shape, dy: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dataFormat: string, dilations: Pair): Tensor {
  const dyt = toTensor(dy, op, 'dy');
  const ft = toTensor(filter, op, 'filter');
  checkDataFormat(op, dataFormat);
  const geom = convGeometry(op, strides, pad, dilations);
  assertShapeArg(op, 'inputShape', inputShape);
  const { shape4, dy4, unbatch } = batchedShapes(op, inputShape, dyt);
  const dx = runOp1(family.backpropInput, [dy4, ft], { geom, inputShape: shape4.slice() });
  return unbatch ? reshape(dx, inputShape) : dx;
}

function runBackpropFilter(family: ConvFamily, op: string, x: TensorLike, dy: TensorLike, filterShape: Shape, strides: Pair, pad: Padding, dataFormat: string, dilations: Pair): Tensor {
  const xt = toTensor(x, op, 'x');
  const dyt = toTensor(dy, op, 'dy');
  checkDataFormat(op, dataFormat);
  const geom = convGeometry(op, strides, pad, dilations);
  if (!Array.isArray(filterShape) || filterShape.length !== 4 || !filterShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(`${op}: filterShape must be 4 positive integers, got ${JSON.stringify(filterShape)}.`);
  }
  const { dy4, unbatch } = batchedShapes(op, xt.shape, dyt);
  const x4 = unbatch ? reshape(xt, [1, ...xt.shape]) : xt;
  return runOp1(family.backpropFilter, [x4, dy4], { geom, filterShape: filterShape.slice() });
}

/**
 * 2-D convolution over NHWC images, as `tf.conv2d` (`tf.nn.conv2d`): each output pixel is the sum,
 * over a window of the input and all its channels, of the input times the filter.
 *
 * @param x Images `[batch, height, width, inChannels]` (or one image `[height, width, inChannels]`).
 * @param filter HWIO weights `[filterHeight, filterWidth, inChannels, outChannels]`.
 * @param strides Step of the window: a number or `[strideHeight, strideWidth]`.
 * @param pad `'same'`, `'valid'`, a number of zeros per side, or `[[top, bottom], [left, right]]`.
 * @param dataFormat Only `'NHWC'`.
 * @param dilations Spacing of filter taps (atrous convolution); cannot exceed 1 together with strides.
 * @returns `[batch, outHeight, outWidth, outChannels]`.
 *
 * @example
 * ```ts
 * const x = nb.ones([1, 5, 5, 3]);
 * const w = nb.ones([3, 3, 3, 8]);
 * nb.conv2d(x, w, 1, 'same').shape;  // [1, 5, 5, 8]
 * nb.conv2d(x, w, 2, 'valid').shape; // [1, 2, 2, 8]
 * ```
 */
export function conv2d(x: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: Pair = 1): Tensor {
  return runForward(conv2dOps, 'conv2d', x, filter, strides, pad, dataFormat, dilations);
}

/**
 * Gradient of `conv2d` with respect to its input (`tf.nn.conv2d_backprop_input`): spreads `dy`
 * back over the input positions each output pixel read. Differentiable, so second-order gradients
 * of convolutions work.
 *
 * @param inputShape Shape of conv2d's `x`, rank 4 (or rank 3 with a rank-3 `dy`).
 * @param dy Gradient of conv2d's output.
 * @param filter The HWIO filter conv2d used.
 *
 * @example
 * ```ts
 * const dy = nb.ones([1, 3, 3, 2]);
 * nb.conv2dBackpropInput([1, 5, 5, 1], dy, nb.ones([3, 3, 1, 2]), 1, 'valid').shape; // [1, 5, 5, 1]
 * ```
 */
export function conv2dBackpropInput(inputShape: Shape, dy: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: Pair = 1): Tensor {
  return runBackpropInput(conv2dOps, 'conv2dBackpropInput', inputShape, dy, filter, strides, pad, dataFormat, dilations);
}

/**
 * Gradient of `conv2d` with respect to its filter (`tf.nn.conv2d_backprop_filter`): correlates
 * the input with `dy`. Differentiable.
 *
 * @param x conv2d's input.
 * @param dy Gradient of conv2d's output.
 * @param filterShape Shape of the HWIO filter `[fh, fw, inChannels, outChannels]`.
 *
 * @example
 * ```ts
 * const x = nb.ones([1, 5, 5, 1]);
 * nb.conv2dBackpropFilter(x, nb.ones([1, 3, 3, 2]), [3, 3, 1, 2], 1, 'valid').shape; // [3, 3, 1, 2]
 * ```
 */
export function conv2dBackpropFilter(x: TensorLike, dy: TensorLike, filterShape: Shape, strides: Pair, pad: Padding, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: Pair = 1): Tensor {
  return runBackpropFilter(conv2dOps, 'conv2dBackpropFilter', x, dy, filterShape, strides, pad, dataFormat, dilations);
}

/**
 * Transposed convolution ("deconvolution"), as `tf.conv2dTranspose`: the gradient of `conv2d`
 * with respect to its input, used to upsample (generators, decoders).
 *
 * @param x Input `[batch, height, width, inChannels]` (or rank 3).
 * @param filter `[filterHeight, filterWidth, outChannels, inChannels]` — as TensorFlow, the
 *   filter of the conv2d this op is the transpose of.
 * @param outputShape `[batch, outHeight, outWidth, outChannels]` (or rank 3). A conv2d of this
 *   shape with the same strides and padding must give x's height and width.
 *
 * @example
 * ```ts
 * const x = nb.ones([1, 4, 4, 16]);
 * const w = nb.ones([5, 5, 8, 16]);
 * nb.conv2dTranspose(x, w, [1, 8, 8, 8], 2, 'same').shape; // [1, 8, 8, 8]
 * ```
 */
export function conv2dTranspose(x: TensorLike, filter: TensorLike, outputShape: Shape, strides: Pair, pad: Padding): Tensor {
  const op = 'conv2dTranspose';
  const xt = toTensor(x, op, 'x');
  const ft = toTensor(filter, op, 'filter');
  const geom = convGeometry(op, strides, pad);
  assertShapeArg(op, 'outputShape', outputShape);
  const { shape4, dy4: x4, unbatch } = batchedShapes(op, outputShape, xt);
  checkTransposeShapes(geom, x4.shape, ft.shape, shape4);
  const y = runOp1(conv2dOps.backpropInput, [x4, ft], { geom, inputShape: shape4.slice() });
  return unbatch ? reshape(y, outputShape) : y;
}

/** conv2dTranspose's shape rules, phrased in its own terms (x, filter, outputShape). */
function checkTransposeShapes(geom: ConvGeometry, xShape: Shape, filterShape: Shape, outputShape: Shape): void {
  const op = geom.op;
  if (filterShape.length !== 4) {
    throw new ShapeError(
      `${op}: filter must be rank 4 [filterHeight, filterWidth, outChannels, inChannels], got shape ${formatShape(filterShape)} ` +
        `for input x of shape ${formatShape(xShape)}; reshape the filter to rank 4.`,
    );
  }
  if (xShape[3] !== filterShape[3]) {
    throw new ShapeError(
      `${op}: x has ${xShape[3]} channels (shape ${formatShape(xShape)}) but the filter expects ${filterShape[3]} ` +
        `(shape ${formatShape(filterShape)}); the filter's last dimension must equal x's last dimension.`,
    );
  }
  if (outputShape[3] !== filterShape[2]) {
    throw new ShapeError(
      `${op}: outputShape ${formatShape(outputShape)} has ${outputShape[3]} channels but the filter ${formatShape(filterShape)} ` +
        `produces ${filterShape[2]}; the filter's third dimension is the number of output channels.`,
    );
  }
  const expected = outputShapeOf(convInfo('conv2d', geom, outputShape, filterShape));
  if (!shapesEqual(xShape, expected)) {
    throw new ShapeError(
      `${op}: x has shape ${formatShape(xShape)} but outputShape ${formatShape(outputShape)} with strides ` +
        `${formatShape(geom.strides)} corresponds to an input of shape ${formatShape(expected)}; pass the outputShape ` +
        `whose conv2d (same strides and padding) gives x's shape.`,
    );
  }
}

/**
 * Depthwise 2-D convolution, as `tf.depthwiseConv2d`: each input channel is convolved with its
 * own `channelMultiplier` filters; output channel `c * channelMultiplier + m` comes from input
 * channel `c` and filter `m`.
 *
 * @param x Images `[batch, height, width, inChannels]` (or rank 3).
 * @param filter `[filterHeight, filterWidth, inChannels, channelMultiplier]`.
 * @returns `[batch, outHeight, outWidth, inChannels * channelMultiplier]`.
 *
 * @example
 * ```ts
 * const x = nb.ones([1, 6, 6, 4]);
 * nb.depthwiseConv2d(x, nb.ones([3, 3, 4, 2]), 1, 'same').shape; // [1, 6, 6, 8]
 * ```
 */
export function depthwiseConv2d(x: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: Pair = 1): Tensor {
  return runForward(depthwiseOps, 'depthwiseConv2d', x, filter, strides, pad, dataFormat, dilations);
}

/**
 * Gradient of `depthwiseConv2d` with respect to its input
 * (`tf.nn.depthwise_conv2d_backprop_input`). Differentiable.
 *
 * @example
 * ```ts
 * nb.depthwiseConv2dBackpropInput([1, 6, 6, 4], nb.ones([1, 6, 6, 8]), nb.ones([3, 3, 4, 2]), 1, 'same').shape; // [1, 6, 6, 4]
 * ```
 */
export function depthwiseConv2dBackpropInput(inputShape: Shape, dy: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: Pair = 1): Tensor {
  return runBackpropInput(depthwiseOps, 'depthwiseConv2dBackpropInput', inputShape, dy, filter, strides, pad, dataFormat, dilations);
}

/**
 * Gradient of `depthwiseConv2d` with respect to its filter
 * (`tf.nn.depthwise_conv2d_backprop_filter`). Differentiable.
 *
 * @example
 * ```ts
 * nb.depthwiseConv2dBackpropFilter(nb.ones([1, 6, 6, 4]), nb.ones([1, 6, 6, 8]), [3, 3, 4, 2], 1, 'same').shape; // [3, 3, 4, 2]
 * ```
 */
export function depthwiseConv2dBackpropFilter(x: TensorLike, dy: TensorLike, filterShape: Shape, strides: Pair, pad: Padding, dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: Pair = 1): Tensor {
  return runBackpropFilter(depthwiseOps, 'depthwiseConv2dBackpropFilter', x, dy, filterShape, strides, pad, dataFormat, dilations);
}
