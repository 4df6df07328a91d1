import { assertDTypeIn, type DType } from '../core/dtype.js';
import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { FLOAT, NUMERIC } from './dtype-sets.js';
import { assertImageRank4, withBatch } from './conv-util.js';

type ResizeKind = 'resizeBilinear' | 'resizeNearestNeighbor';

interface ResizeFlags {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}
interface ResizeAttrs extends ResizeFlags {
  size: readonly [number, number];
}
interface ResizeGradAttrs extends ResizeFlags {
  inputShape: Shape;
}

const NHWC = '[batch, height, width, channels]';

function checkImage(op: ResizeKind, shape: Shape): void {
  assertImageRank4(op, 'images', shape, NHWC);
  if (shape[1] === 0 || shape[2] === 0) {
    throw new ShapeError(`${op}: images must have a non-zero height and width, got shape ${formatShape(shape)}.`);
  }
}

/**
 * The resize op and its gradient. The gradient op is linear in dy with the resize as its adjoint,
 * so it is differentiable too.
 */
function defineResize(kind: ResizeKind, outDType: (x: DType) => DType): OpDef<ResizeAttrs> {
  const gradKernel = kind === 'resizeBilinear' ? 'resizeBilinearGrad' : 'resizeNearestNeighborGrad';

  const forward: OpDef<ResizeAttrs> = {
    name: kind,
    infer([x], { size }) {
      assertDTypeIn(kind, 'images', x!.dtype, NUMERIC);
      checkImage(kind, x!.shape);
      const [n, , , c] = x!.shape as [number, number, number, number];
      return [{ shape: [n, size[0], size[1], c], dtype: outDType(x!.dtype) }];
    },
    kernel([x], [out], { alignCorners, halfPixelCenters }) {
      kernels()[kind](x!, out!, alignCorners, halfPixelCenters);
    },
    grad: ([dy], [x], _outputs, { alignCorners, halfPixelCenters }) => [
      x!.dtype === 'float32' ? runOp1(backward, [dy!], { alignCorners, halfPixelCenters, inputShape: x!.shape }) : null,
    ],
  };

  const backward: OpDef<ResizeGradAttrs> = {
    name: gradKernel,
    infer([dy], { inputShape }) {
      assertDTypeIn(kind, 'dy', dy!.dtype, FLOAT);
      checkImage(kind, inputShape);
      assertImageRank4(kind, 'dy', dy!.shape, NHWC);
      if (dy!.shape[0] !== inputShape[0] || dy!.shape[3] !== inputShape[3]) {
        throw new ShapeError(
          `${kind}: dy of shape ${formatShape(dy!.shape)} does not match the batch and channels of the images ${formatShape(inputShape)}.`,
        );
      }
      return [{ shape: inputShape, dtype: 'float32' }];
    },
    kernel([dy], [out], { alignCorners, halfPixelCenters }) {
      kernels()[gradKernel](dy!, out!, alignCorners, halfPixelCenters);
    },
    grad: ([ddx], [dy], _outputs, { alignCorners, halfPixelCenters }) => [
      runOp1(forward, [ddx!], { alignCorners, halfPixelCenters, size: [dy!.shape[1]!, dy!.shape[2]!] }),
    ],
  };

  return forward;
}

const resizeBilinearOp = defineResize('resizeBilinear', () => 'float32');
const resizeNearestNeighborOp = defineResize('resizeNearestNeighbor', (dtype) => dtype);

function resize(op: OpDef<ResizeAttrs>, name: ResizeKind, images: TensorLike, size: readonly [number, number], alignCorners: boolean, halfPixelCenters: boolean): Tensor {
  const x = toTensor(images, name, 'images');
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(`${name}: size must be [newHeight, newWidth] of positive integers, got ${JSON.stringify(size)}.`);
  }
  if (alignCorners && halfPixelCenters) {
    throw new InvalidArgumentError(
      `${name}: alignCorners and halfPixelCenters cannot both be true (TensorFlow forbids it); set one of them to false.`,
    );
  }
  const attrs: ResizeAttrs = { size: [size[0], size[1]], alignCorners, halfPixelCenters };
  return withBatch(name, 'images', x, (x4) => runOp1(op, [x4], attrs));
}

/**
 * Resizes images with bilinear interpolation, as `tf.image.resizeBilinear`. The result is float32.
 *
 * @param images `[batch, height, width, channels]` or `[height, width, channels]`.
 * @param size `[newHeight, newWidth]`.
 * @param alignCorners Map the corner pixels of input and output onto each other.
 * @param halfPixelCenters Sample at pixel centres (what image libraries and TF2's `tf.image.resize` do).
 *
 * @example
 * ```ts
 * const img = nb.tensor([0, 1, 2, 3], [2, 2, 1]);
 * nb.image.resizeBilinear(img, [3, 3], true); // [[0, .5, 1], [1, 1.5, 2], [2, 2.5, 3]] (channels omitted)
 * ```
 */
export function resizeBilinear(images: TensorLike, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  return resize(resizeBilinearOp, 'resizeBilinear', images, size, alignCorners, halfPixelCenters);
}

/**
 * Resizes images by picking the nearest source pixel, as `tf.image.resizeNearestNeighbor`.
 * Keeps the dtype.
 *
 * @param images `[batch, height, width, channels]` or `[height, width, channels]`.
 * @param size `[newHeight, newWidth]`.
 * @param alignCorners Map the corner pixels of input and output onto each other (rounds to nearest).
 * @param halfPixelCenters Sample at pixel centres.
 *
 * @example
 * ```ts
 * const img = nb.tensor([1, 2, 3, 4], [2, 2, 1]);
 * nb.image.resizeNearestNeighbor(img, [4, 4]); // each pixel becomes a 2x2 block
 * ```
 */
export function resizeNearestNeighbor(images: TensorLike, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  return resize(resizeNearestNeighborOp, 'resizeNearestNeighbor', images, size, alignCorners, halfPixelCenters);
}
