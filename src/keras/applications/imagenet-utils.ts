// Input preprocessing of the ImageNet models (keras.applications.imagenet_utils).
import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';

/** ImageNet channel means in BGR order, on the 0..255 scale (the caffe models' preprocessing). */
export const IMAGENET_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** `'caffe'`: RGB->BGR and mean subtraction (VGG, ResNet50); `'tf'`: scale to [-1, 1]; `'torch'`: [0, 1], then mean/std per channel. */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

function checkRgb(where: string, x: Tensor): void {
  if (x.rank < 3 || x.shape[x.rank - 1] !== 3) {
    throw new ShapeError(`${where}: expected RGB images [..., height, width, 3] (channels last), got shape [${x.shape.join(', ')}].`);
  }
}

/**
 * Prepares RGB images with values 0..255 (float32 or int32, `[h, w, 3]` or `[n, h, w, 3]`) for an
 * ImageNet model, as `keras.applications.vgg19.preprocess_input`: in `'caffe'` mode (the default,
 * VGG16/VGG19) the channels are reversed to BGR and the ImageNet mean `[103.939, 116.779, 123.68]`
 * is subtracted, without scaling. Returns float32.
 *
 * @example
 * ```ts
 * const img = nb.data.image.readImage('cat.png');                 // int32 [h, w, 3], 0..255
 * const x = nb.keras.applications.preprocessInput(nb.expandDims(img, 0));
 * ```
 */
export function preprocessInput(x: Tensor, mode: PreprocessMode = 'caffe'): Tensor {
  const where = 'preprocessInput';
  checkRgb(where, x);
  const f = x.dtype === 'float32' ? x : ops.cast(x, 'float32');
  if (mode === 'caffe') return ops.sub(ops.reverse(f, -1), ops.tensor([...IMAGENET_MEAN_BGR], [3]));
  if (mode === 'tf') return ops.sub(ops.div(f, 127.5), 1);
  if (mode === 'torch') return ops.div(ops.sub(ops.div(f, 255), ops.tensor(TORCH_MEAN, [3])), ops.tensor(TORCH_STD, [3]));
  throw new InvalidArgumentError(`${where}: mode must be 'caffe', 'tf' or 'torch', got ${JSON.stringify(mode)}.`);
}

/**
 * Undoes `preprocessInput`: back to RGB values clipped to 0..255 (float32), ready for
 * `nb.data.image.writeImage` after `nb.cast(..., 'int32')` (or `nb.round` first).
 *
 * @example
 * ```ts
 * const rgb = nb.keras.applications.deprocess(optimisedImage);    // float32 0..255, RGB
 * nb.data.image.writeImage('out.png', nb.cast(nb.round(nb.squeeze(rgb, [0])), 'int32'));
 * ```
 */
export function deprocess(x: Tensor, mode: PreprocessMode = 'caffe'): Tensor {
  const where = 'deprocess';
  checkRgb(where, x);
  const f = x.dtype === 'float32' ? x : ops.cast(x, 'float32');
  let rgb: Tensor;
  if (mode === 'caffe') rgb = ops.reverse(ops.add(f, ops.tensor([...IMAGENET_MEAN_BGR], [3])), -1);
  else if (mode === 'tf') rgb = ops.mul(ops.add(f, 1), 127.5);
  else if (mode === 'torch') rgb = ops.mul(ops.add(ops.mul(f, ops.tensor(TORCH_STD, [3])), ops.tensor(TORCH_MEAN, [3])), 255);
  else throw new InvalidArgumentError(`${where}: mode must be 'caffe', 'tf' or 'torch', got ${JSON.stringify(mode)}.`);
  return ops.clipByValue(rgb, 0, 255);
}
