// Internal helpers shared by the codecs: 8-bit pixel buffers <-> int32 tensors, channel conversion.
import { DTypeError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

/** Channel counts an image tensor may have: gray, gray+alpha, RGB, RGBA. */
export type Channels = 1 | 2 | 3 | 4;

/** Decoded 8-bit pixels, row-major, channels interleaved. */
export interface RawImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: Channels;
}

/** Throws unless `channels` is undefined (keep the file's) or one of 1, 2, 3, 4. */
export function checkChannels(op: string, channels: unknown): Channels | undefined {
  if (channels === undefined || channels === null || channels === 0) return undefined;
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new InvalidArgumentError(
      `${op}: channels must be 1 (grayscale), 2 (grayscale + alpha), 3 (RGB) or 4 (RGBA), or omitted to keep the file's, got ${String(channels)}.`,
    );
  }
  return channels;
}

/** ITU-R BT.601 luma (what libjpeg, libpng and tf.image.rgb_to_grayscale use). */
export const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * `data` (`pixels` pixels of `from` channels) with `to` channels: color to gray by luma, gray to
 * color by copying, alpha dropped, or added as opaque (255).
 */
export function convertChannels(data: Uint8Array, pixels: number, from: Channels, to: Channels): Uint8Array {
  if (from === to) return data;
  const out = new Uint8Array(pixels * to);
  const fromColor = from >= 3;
  const fromAlpha = from === 2 || from === 4;
  const toColor = to >= 3;
  const toAlpha = to === 2 || to === 4;
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += from, o += to) {
    let r: number;
    let g: number;
    let b: number;
    if (fromColor) {
      r = data[i]!;
      g = data[i + 1]!;
      b = data[i + 2]!;
    } else {
      r = g = b = data[i]!;
    }
    if (toColor) {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    } else {
      out[o] = fromColor ? Math.round(LUMA[0] * r + LUMA[1] * g + LUMA[2] * b) : r;
    }
    if (toAlpha) out[o + to - 1] = fromAlpha ? data[i + from - 1]! : 255;
  }
  return out;
}

/** An int32 tensor [h, w, c] holding `raw`'s pixels. */
export function rawToTensor(raw: RawImage): Tensor {
  return new Tensor([raw.height, raw.width, raw.channels], 'int32', Int32Array.from(raw.data));
}

/**
 * The 8-bit pixels of an image tensor ([h, w, c] or [h, w]; int32 or float32 holding 0..255,
 * floats rounded to the nearest integer). Values outside [0, 255] raise an error naming the
 * first one.
 */
export function tensorToRaw(op: string, image: Tensor, allowed: readonly Channels[]): RawImage {
  if (!(image instanceof Tensor)) {
    throw new InvalidArgumentError(`${op}: expected an image Tensor [height, width, channels], got ${image === null ? 'null' : typeof image}.`);
  }
  if (image.dtype !== 'int32' && image.dtype !== 'float32') {
    throw new DTypeError(`${op}: the image must be int32 or float32 holding values 0..255, got ${image.dtype}; cast it with nb.cast(image, 'int32').`);
  }
  if (image.rank !== 2 && image.rank !== 3) {
    throw new ShapeError(
      `${op}: expected one image of shape [height, width, channels] or [height, width], got shape ${formatShape(image.shape)}${image.rank === 4 ? '; pick one image of the batch (or lay the batch out with montage)' : ''}.`,
    );
  }
  const [height, width] = image.shape as [number, number];
  const c = image.rank === 3 ? image.shape[2]! : 1;
  if (!allowed.includes(c as Channels)) {
    throw new ShapeError(`${op}: the image has ${c} channels; this format stores ${allowed.join(', ')}. Got shape ${formatShape(image.shape)}.`);
  }
  if (height === 0 || width === 0) throw new ShapeError(`${op}: the image is empty (shape ${formatShape(image.shape)}).`);
  const src = image.values;
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = Math.round(src[i]!);
    if (!(v >= 0 && v <= 255)) {
      const px = Math.floor(i / c);
      const at = `[${Math.floor(px / width)}, ${px % width}${image.rank === 3 ? `, ${i % c}` : ''}]`;
      throw new InvalidArgumentError(
        `${op}: pixel values must lie in [0, 255], but the value at ${at} is ${src[i]}. Clip the image first (nb.clipByValue(image, 0, 255)); a [0, 1] image needs nb.mul(image, 255).`,
      );
    }
    data[i] = v;
  }
  return { data, height, width, channels: c as Channels };
}

/** The bytes as a Node Buffer sharing their memory (what the codec packages expect). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws unless `bytes` is a Uint8Array (a Buffer is one). */
export function checkBytes(op: string, bytes: unknown): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      `${op}: expected the encoded image as a Uint8Array or Buffer (e.g. from fs.readFileSync), got ${bytes === null ? 'null' : typeof bytes === 'object' ? (bytes as object).constructor?.name ?? 'an object' : typeof bytes}.`,
    );
  }
  return bytes;
}
