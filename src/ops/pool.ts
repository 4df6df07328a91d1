import { assertDTypeIn, type DType } from '../core/dtype.js';
import { ShapeError } from '../core/errors.js';
import { formatShape, shapesEqual, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { Conv2DInfo } from '../backend/kernels.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { FLOAT, NUMERIC } from './dtype-sets.js';
import {
  assertImageRank4, computeConv2DInfo, convGeometry, normalizePair, outputShapeOf, withBatch,
  type ConvGeometry, type Padding, type Pair,
} from './conv-util.js';

interface PoolAttrs {
  geom: ConvGeometry;
  window: readonly [number, number];
}

interface PoolGradAttrs extends PoolAttrs {
  inputShape: Shape;
}

const NHWC = '[batch, height, width, channels]';

function poolInfo({ geom, window }: PoolAttrs, xShape: Shape): Conv2DInfo {
  assertImageRank4(geom.op, 'x', xShape, NHWC);
  const channels = xShape[3]!;
  return computeConv2DInfo(geom, xShape, { height: window[0], width: window[1], outChannels: channels, channelMultiplier: 1 });
}

/** Throws unless `dy` has the shape the pooling of `xShape` produces. */
function checkPoolDy(attrs: PoolAttrs, dyShape: Shape, xShape: Shape): void {
  const expected = outputShapeOf(poolInfo(attrs, xShape));
  if (!shapesEqual(dyShape, expected)) {
    throw new ShapeError(
      `${attrs.geom.op}: dy has shape ${formatShape(dyShape)} but pooling an input of shape ${formatShape(xShape)} ` +
        `produces ${formatShape(expected)}; dy must have the forward output's shape.`,
    );
  }
}

function poolForward(name: 'maxPool' | 'avgPool', allowed: readonly DType[], grad: OpDef<PoolAttrs>['grad']): OpDef<PoolAttrs> {
  return {
    name,
    infer([x], attrs) {
      assertDTypeIn(attrs.geom.op, 'x', x!.dtype, allowed);
      return [{ shape: outputShapeOf(poolInfo(attrs, x!.shape)), dtype: x!.dtype }];
    },
    kernel([x], [out], attrs) {
      kernels()[name](x!, out!, poolInfo(attrs, x!.shape));
    },
    grad,
  };
}

const maxPoolOp: OpDef<PoolAttrs> = poolForward('maxPool', NUMERIC, ([dy], [x], _outputs, attrs) => [
  x!.dtype === 'float32' ? runOp1(maxPoolGradOp, [dy!, x!], attrs) : null,
]);

/** dx of maxPool: dy routed to the first maximum of each window. Its own gradient is not defined. */
const maxPoolGradOp: OpDef<PoolAttrs> = {
  name: 'maxPoolGrad',
  infer([dy, x], attrs) {
    assertDTypeIn(attrs.geom.op, 'dy', dy!.dtype, FLOAT);
    checkPoolDy(attrs, dy!.shape, x!.shape);
    return [{ shape: x!.shape, dtype: 'float32' }];
  },
  kernel([dy, x], [out], attrs) {
    kernels().maxPoolGrad(dy!, x!, out!, poolInfo(attrs, x!.shape));
  },
  grad: 'nondifferentiable',
};

const avgPoolOp: OpDef<PoolAttrs> = poolForward('avgPool', FLOAT, ([dy], [x], _outputs, attrs) => [
  runOp1(avgPoolGradOp, [dy!], { ...attrs, inputShape: x!.shape }),
]);

/** dx of avgPool. Linear in dy, its adjoint being avgPool itself, which makes it differentiable. */
const avgPoolGradOp: OpDef<PoolGradAttrs> = {
  name: 'avgPoolGrad',
  infer([dy], attrs) {
    assertDTypeIn(attrs.geom.op, 'dy', dy!.dtype, FLOAT);
    checkPoolDy(attrs, dy!.shape, attrs.inputShape);
    return [{ shape: attrs.inputShape, dtype: 'float32' }];
  },
  kernel([dy], [out], attrs) {
    kernels().avgPoolGrad(dy!, out!, poolInfo(attrs, attrs.inputShape));
  },
  grad: ([ddx], _inputs, _outputs, { geom, window }) => [runOp1(avgPoolOp, [ddx!], { geom, window })],
};

function pool(op: OpDef<PoolAttrs>, name: string, x: TensorLike, filterSize: Pair, strides: Pair, pad: Padding): Tensor {
  const xt = toTensor(x, name, 'x');
  const window = normalizePair(name, 'filterSize', filterSize);
  const geom = convGeometry(name, strides, pad);
  return withBatch(name, 'x', xt, (x4) => runOp1(op, [x4], { geom, window }));
}

/**
 * Max pooling over NHWC images, as `tf.maxPool`: each output is the largest input value in its
 * window (padding never wins). The gradient goes to the first maximum of each window.
 *
 * @param x `[batch, height, width, channels]` (or rank 3), float32 or int32.
 * @param filterSize Window size: a number or `[height, width]`.
 * @param strides Window step: a number or `[height, width]`.
 * @param pad `'same'`, `'valid'`, a number of padding cells per side, or `[[top, bottom], [left, right]]`.
 *
 * @example
 * ```ts
 * const x = nb.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
 * nb.maxPool(x, 2, 2, 'valid'); // [[[[4]]]]
 * ```
 */
export function maxPool(x: TensorLike, filterSize: Pair, strides: Pair, pad: Padding): Tensor {
  return pool(maxPoolOp, 'maxPool', x, filterSize, strides, pad);
}

/**
 * Average pooling over NHWC images, as `tf.avgPool`: each output is the mean of the input values
 * in its window; padded positions are left out of the count.
 *
 * @param x `[batch, height, width, channels]` (or rank 3), float32.
 * @param filterSize Window size: a number or `[height, width]`.
 * @param strides Window step: a number or `[height, width]`.
 * @param pad `'same'`, `'valid'`, a number of padding cells per side, or `[[top, bottom], [left, right]]`.
 *
 * @example
 * ```ts
 * const x = nb.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
 * nb.avgPool(x, 2, 1, 'same'); // [[[[2.5], [3]], [[3.5], [4]]]]
 * ```
 */
export function avgPool(x: TensorLike, filterSize: Pair, strides: Pair, pad: Padding): Tensor {
  return pool(avgPoolOp, 'avgPool', x, filterSize, strides, pad);
}
