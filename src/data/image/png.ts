import pngjs from 'pngjs';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { ImageDecodeError } from './errors.js';
import { detectImageFormat } from './format.js';
import { asBuffer, checkBytes, checkChannels, convertChannels, rawToTensor, tensorToRaw, type Channels, type RawImage } from './pixels.js';

const { PNG } = pngjs;

export interface DecodeOptions {
  /**
   * Channels of the result: 1 (grayscale), 2 (grayscale + alpha), 3 (RGB) or 4 (RGBA). Omitted:
   * the file's own (a grayscale PNG gives 1, an RGB one 3). Color becomes gray by BT.601 luma,
   * a missing alpha channel is opaque (255).
   */
  channels?: Channels;
}

/** Decodes PNG bytes to 8-bit pixels with `channels` (or the file's own). */
export function decodePngRaw(op: string, bytes: Uint8Array, channels: Channels | undefined): RawImage {
  if (detectImageFormat(bytes) !== 'png') {
    throw new ImageDecodeError(`${op}: the data is not a PNG (it lacks the PNG signature 89 50 4E 47 0D 0A 1A 0A); use decodeImage to detect the format.`);
  }
  let png: pngjs.PNGWithMetadata;
  try {
    png = PNG.sync.read(asBuffer(bytes));
  } catch (e) {
    throw new ImageDecodeError(`${op}: the PNG data is corrupt or truncated (${(e as Error).message}); re-export or re-download the file.`);
  }
  const own: Channels = png.color ? (png.alpha ? 4 : 3) : png.alpha ? 2 : 1;
  const to = channels ?? own;
  const pixels = png.width * png.height;
  // pngjs always hands back 8-bit RGBA; go from there.
  const data = convertChannels(new Uint8Array(png.data.buffer, png.data.byteOffset, pixels * 4), pixels, 4, to);
  return { data, height: png.height, width: png.width, channels: to };
}

/**
 * Decodes PNG bytes into an int32 tensor [height, width, channels] of values 0..255 (like
 * `tf.io.decode_png`; nabla has no uint8 dtype). 16-bit PNGs are scaled to 8 bits.
 *
 * @example
 * ```ts
 * const img = nb.data.image.decodePng(readFileSync('cat.png'));          // int32 [h, w, 3]
 * const gray = nb.data.image.decodePng(bytes, {channels: 1});            // int32 [h, w, 1]
 * ```
 */
export function decodePng(bytes: Uint8Array, options: DecodeOptions = {}): Tensor {
  const op = 'decodePng';
  return rawToTensor(decodePngRaw(op, checkBytes(op, bytes), checkChannels(op, options.channels)));
}

export interface EncodePngOptions {
  /** zlib level 0 (fastest, largest) to 9 (smallest, default 6). */
  compression?: number;
}

const COLOR_TYPE: Record<Channels, 0 | 2 | 4 | 6> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/**
 * Encodes an image as PNG bytes (lossless, 8 bits per channel). The image is [height, width,
 * channels] (1, 2, 3 or 4 channels) or [height, width]; int32, or float32 values in [0, 255]
 * rounded to integers. A value outside [0, 255] raises an InvalidArgumentError (clip first).
 *
 * @example
 * ```ts
 * writeFileSync('out.png', nb.data.image.encodePng(img));
 * ```
 */
export function encodePng(image: Tensor, options: EncodePngOptions = {}): Uint8Array {
  const op = 'encodePng';
  const level = options.compression ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidArgumentError(`${op}: compression must be an integer from 0 to 9, got ${String(level)}.`);
  }
  const raw = tensorToRaw(op, image, [1, 2, 3, 4]);
  const png = new PNG({ width: raw.width, height: raw.height });
  png.data = asBuffer(raw.data);
  const colorType = COLOR_TYPE[raw.channels];
  const out = PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: raw.channels === 2 || raw.channels === 4, deflateLevel: level });
  return out;
}
