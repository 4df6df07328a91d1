import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { ImageDecodeError } from './errors.js';
import { DECODABLE_FORMATS, detectImageFormat, formatFromExtension } from './format.js';
import { decodeJpegRaw, encodeJpeg } from './jpeg.js';
import { checkBytes, checkChannels, rawToTensor, type Channels, type RawImage } from './pixels.js';
import { decodePngRaw, encodePng, type DecodeOptions } from './png.js';

/** Reads a file for `op`, with a NotFoundError naming it when it is missing. */
export function readBytes(op: string, path: string): Uint8Array {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError(`${op}: expected a file path, got ${JSON.stringify(path)}.`);
  if (!existsSync(path)) throw new NotFoundError(`${op}: no file at '${path}'; check the path (relative paths start at ${process.cwd()}).`);
  if (statSync(path).isDirectory()) throw new InvalidArgumentError(`${op}: '${path}' is a folder, not an image file.`);
  return readFileSync(path);
}

/** Decodes PNG or JPEG bytes (detected from the content) to 8-bit pixels. `source` names them in errors. */
export function decodeRaw(op: string, bytes: Uint8Array, channels: Channels | undefined, source?: string): RawImage {
  const where = source === undefined ? op : `${op} ('${source}')`;
  const format = detectImageFormat(bytes);
  if (format === 'png') return decodePngRaw(where, bytes, channels);
  if (format === 'jpeg') return decodeJpegRaw(where, bytes, channels);
  if (bytes.length === 0) throw new ImageDecodeError(`${where}: the data is empty (0 bytes); the file may be truncated.`);
  if (format !== null) {
    throw new ImageDecodeError(`${where}: ${format.toUpperCase()} images are not supported; nabla decodes ${DECODABLE_FORMATS.map((f) => f.toUpperCase()).join(' and ')}. Convert the file (e.g. to PNG) first.`);
  }
  throw new ImageDecodeError(`${where}: the data is not a PNG or JPEG image (unrecognised first bytes ${hex(bytes)}); the file may be corrupt or of another format.`);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(none)';
}

/**
 * Decodes a PNG or JPEG image, the format detected from the bytes (not the file name), into an
 * int32 tensor [height, width, channels] of values 0..255, like `tf.io.decode_image` (nabla has
 * no uint8 dtype). Pass the encoded bytes or a file path. Corrupt, truncated or unsupported data
 * raises an ImageDecodeError.
 *
 * @example
 * ```ts
 * const img = nb.data.image.decodeImage(readFileSync('cat.jpg'));        // int32 [h, w, 3]
 * const rgba = nb.data.image.decodeImage('logo.png', {channels: 4});     // int32 [h, w, 4]
 * ```
 */
export function decodeImage(source: Uint8Array | string, options: DecodeOptions = {}): Tensor {
  const op = 'decodeImage';
  const channels = checkChannels(op, options.channels);
  if (typeof source === 'string') return rawToTensor(decodeRaw(op, readBytes(op, source), channels, source));
  return rawToTensor(decodeRaw(op, checkBytes(op, source), channels));
}

/**
 * Reads a PNG or JPEG file into an int32 tensor [height, width, channels] of values 0..255.
 *
 * @example
 * ```ts
 * const img = nb.data.image.readImage('photos/cat.png');                 // int32 [h, w, 3]
 * const gray = nb.data.image.readImage('scan.jpg', {channels: 1});
 * ```
 */
export function readImage(path: string, options: DecodeOptions = {}): Tensor {
  const op = 'readImage';
  return rawToTensor(decodeRaw(op, readBytes(op, path), checkChannels(op, options.channels), path));
}

export interface WriteImageOptions {
  /** JPEG quality 1..100 (default 95); ignored for PNG. */
  quality?: number;
}

/**
 * Writes an image tensor ([height, width, channels] or [height, width]; int32, or float32 in
 * [0, 255]) to a file, as PNG or JPEG according to the extension (`.png`, `.jpg`, `.jpeg`).
 *
 * @example
 * ```ts
 * nb.data.image.writeImage('out/cat.png', img);
 * nb.data.image.writeImage('out/cat.jpg', img, {quality: 90});
 * ```
 */
export function writeImage(path: string, image: Tensor, options: WriteImageOptions = {}): void {
  const op = 'writeImage';
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError(`${op}: expected a file path, got ${JSON.stringify(path)}.`);
  const format = formatFromExtension(path);
  let bytes: Uint8Array;
  if (format === 'png') bytes = encodePng(image);
  else if (format === 'jpeg') bytes = encodeJpeg(image, { quality: options.quality });
  else {
    throw new InvalidArgumentError(`${op}: cannot tell the format of '${path}' from its extension; nabla writes .png, .jpg and .jpeg files.`);
  }
  writeFileSync(path, bytes);
}
