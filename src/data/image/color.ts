import { DTypeError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import { LUMA } from './pixels.js';

/**
 * Converts images (channels last: [..., channels]) to one channel, like
 * `tf.image.rgb_to_grayscale`: RGB by BT.601 luma (0.299 R + 0.587 G + 0.114 B), RGBA ignoring
 * alpha, grayscale + alpha by dropping alpha, grayscale unchanged. int32 images stay int32
 * (rounded); float32 stays float32 (and differentiable).
 *
 * @example
 * ```ts
 * const gray = nb.data.image.toGrayscale(nb.data.image.readImage('cat.png'));   // int32 [h, w, 1]
 * ```
 */
export function toGrayscale(images: Tensor): Tensor {
  const op = 'toGrayscale';
  if (!(images instanceof Tensor)) throw new InvalidArgumentError(`${op}: expected an image Tensor, got ${images === null ? 'null' : typeof images}.`);
  if (images.dtype === 'bool') throw new DTypeError(`${op}: images must be float32 or int32, got bool.`);
  const c = images.shape.at(-1);
  if (images.rank < 2 || c === undefined || c < 1 || c > 4) {
    throw new ShapeError(
      `${op}: expected images with 1 to 4 channels on the last axis ([height, width, channels] or [batch, height, width, channels]), got shape ${formatShape(images.shape)}.`,
    );
  }
  if (c === 1) return images;
  const begin = images.shape.map(() => 0);
  const keep = (k: number): number[] => images.shape.map((d, i) => (i === images.rank - 1 ? k : d));
  if (c === 2) return ops.slice(images, begin, keep(1));
  const rgb = c === 4 ? ops.slice(images, begin, keep(3)) : images;
  const gray = ops.sum(ops.mul(ops.cast(rgb, 'float32'), ops.tensor([...LUMA], [3], 'float32')), -1, true);
  return images.dtype === 'int32' ? ops.cast(ops.round(gray), 'int32') : gray;
}
