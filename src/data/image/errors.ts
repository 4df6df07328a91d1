import { InvalidArgumentError } from '../../core/errors.js';

/**
 * Image bytes could not be decoded: not an image, a format nabla does not read, or a truncated or
 * corrupt file. A subclass of InvalidArgumentError (what `tf.io.decode_image` raises).
 *
 * @example
 * ```ts
 * try { nb.data.image.readImage('photo.png'); } catch (e) {
 *   if (e instanceof nb.data.image.ImageDecodeError) console.error('skipping a broken file:', e.message);
 * }
 * ```
 */
export class ImageDecodeError extends InvalidArgumentError {}
