import { DTypeError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';

/** Interpolations `resizeImage` offers. */
export type ResizeMethod = 'bilinear' | 'nearest';

export interface ResizeOptions {
  /** 'bilinear' (default; float32 result) or 'nearest' (keeps the dtype). */
  method?: ResizeMethod;
}

/**
 * Resizes an image [height, width, channels] or a batch [batch, height, width, channels] to
 * `size` = [newHeight, newWidth], like TF2's `tf.image.resize` (pixel centres aligned, no
 * antialiasing): bilinear returns float32, nearest keeps the dtype.
 *
 * @example
 * ```ts
 * const small = nb.data.image.resizeImage(img, [64, 64]);                       // float32 [64, 64, 3]
 * const blocky = nb.data.image.resizeImage(img, [64, 64], {method: 'nearest'});  // int32 stays int32
 * ```
 */
export function resizeImage(images: Tensor, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  const op = 'resizeImage';
  if (!(images instanceof Tensor)) throw new InvalidArgumentError(`${op}: expected an image Tensor, got ${images === null ? 'null' : typeof images}.`);
  if (images.rank !== 3 && images.rank !== 4) {
    throw new ShapeError(`${op}: expected an image [height, width, channels] or a batch [batch, height, width, channels], got shape ${formatShape(images.shape)}; add a channel axis with nb.expandDims(image, -1).`);
  }
  if (images.dtype === 'bool') throw new DTypeError(`${op}: images must be float32 or int32, got bool.`);
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(`${op}: size must be [newHeight, newWidth] of positive integers, got ${JSON.stringify(size)}.`);
  }
  const method = options.method ?? 'bilinear';
  if (method === 'bilinear') return ops.image.resizeBilinear(images, [size[0], size[1]], false, true);
  if (method === 'nearest') return ops.image.resizeNearestNeighbor(images, [size[0], size[1]], false, true);
  throw new InvalidArgumentError(`${op}: method must be 'bilinear' or 'nearest', got ${JSON.stringify(method)}.`);
}
