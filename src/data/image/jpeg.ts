import jpegJs from 'jpeg-js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { ImageDecodeError } from './errors.js';
import { detectImageFormat } from './format.js';
import type { DecodeOptions } from './png.js';
import { checkBytes, checkChannels, convertChannels, rawToTensor, tensorToRaw, type Channels, type RawImage } from './pixels.js';

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic; not DHT/JPG/DAC). */
function isStartOfFrame(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

/** The number of color components in the JPEG's frame header (1 gray, 3 YCbCr, 4 CMYK), or 0. */
export function jpegComponents(bytes: Uint8Array): number {
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return 0;
    const m = bytes[i + 1]!;
    if (m === 0xff) {
      i++;
      continue;
    }
    if ((m >= 0xd0 && m <= 0xd8) || m === 0x01) {
      i += 2;
      continue;
    }
    if (m === 0xd9 || m === 0xda) return 0;
    if (isStartOfFrame(m)) return i + 9 < bytes.length ? bytes[i + 9]! : 0;
    i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
  }
  return 0;
}

/** Decodes JPEG bytes to 8-bit pixels with `channels` (or the file's own: 1 or 3). */
export function decodeJpegRaw(op: string, bytes: Uint8Array, channels: Channels | undefined): RawImage {
  if (detectImageFormat(bytes) !== 'jpeg') {
    throw new ImageDecodeError(`${op}: the data is not a JPEG (it does not start with FF D8 FF); use decodeImage to detect the format.`);
  }
  const components = jpegComponents(bytes);
  if (components === 0) {
    throw new ImageDecodeError(`${op}: the JPEG data is corrupt or truncated (no frame header before the image data); re-export or re-download the file.`);
  }
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpegJs.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: true, maxMemoryUsageInMB: 2048 });
  } catch (e) {
    throw new ImageDecodeError(`${op}: the JPEG data is corrupt, truncated or unsupported (${(e as Error).message}); re-export or re-download the file.`);
  }
  const pixels = img.width * img.height;
  if (pixels === 0 || img.data.length !== pixels * 3) {
    throw new ImageDecodeError(`${op}: the JPEG decoded to no pixels (corrupt or truncated file).`);
  }
  const own: Channels = components === 1 ? 1 : 3;
  const to = channels ?? own;
  // jpeg-js always hands back RGB; a grayscale file has R = G = B, so taking a channel is exact.
  return { data: convertChannels(img.data, pixels, 3, to), height: img.height, width: img.width, channels: to };
}

/**
 * Decodes JPEG bytes into an int32 tensor [height, width, channels] of values 0..255 (like
 * `tf.io.decode_jpeg`). Baseline and progressive JPEGs are read; CMYK files come out as RGB.
 *
 * @example
 * ```ts
 * const img = nb.data.image.decodeJpeg(readFileSync('rocket.jpg'));      // int32 [427, 640, 3]
 * ```
 */
export function decodeJpeg(bytes: Uint8Array, options: DecodeOptions = {}): Tensor {
  const op = 'decodeJpeg';
  return rawToTensor(decodeJpegRaw(op, checkBytes(op, bytes), checkChannels(op, options.channels)));
}

export interface EncodeJpegOptions {
  /** 1 (smallest, worst) to 100 (largest, best); default 95 as `tf.io.encode_jpeg`. */
  quality?: number;
}

/**
 * Encodes an image as JPEG bytes (lossy). The image is [height, width, 1 or 3] or [height,
 * width]; int32, or float32 values in [0, 255]. Grayscale images are stored as three equal
 * channels (decode with `{channels: 1}` to get one back); a 4-channel image needs its alpha
 * dropped first (JPEG has none).
 *
 * @example
 * ```ts
 * writeFileSync('out.jpg', nb.data.image.encodeJpeg(img, {quality: 90}));
 * ```
 */
export function encodeJpeg(image: Tensor, options: EncodeJpegOptions = {}): Uint8Array {
  const op = 'encodeJpeg';
  const quality = options.quality ?? 95;
  if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new InvalidArgumentError(`${op}: quality must be an integer from 1 to 100, got ${String(quality)}.`);
  }
  const raw = tensorToRaw(op, image, [1, 3]);
  const rgba = convertChannels(raw.data, raw.width * raw.height, raw.channels, 4);
  return jpegJs.encode({ data: rgba, width: raw.width, height: raw.height }, quality).data;
}
