import { extname } from 'node:path';

/** Image formats nabla recognises from their first bytes. PNG and JPEG are decoded. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

/** Formats `decodeImage` can decode. */
export const DECODABLE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg'];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

/**
 * The format of encoded image bytes, read from their magic number (not from a file name), or
 * null when they are none of PNG, JPEG, GIF, BMP and WebP.
 *
 * @example
 * ```ts
 * nb.data.image.detectImageFormat(readFileSync('cat.jpg'));   // 'jpeg'
 * ```
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x42, 0x4d])) return 'bmp';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return null;
}

/** The format a file name's extension names (`.png`, `.jpg`, `.jpeg`, ...), or null. */
export function formatFromExtension(path: string): ImageFormat | null {
  switch (extname(path).toLowerCase()) {
    case '.png':
      return 'png';
    case '.jpg':
    case '.jpeg':
    case '.jpe':
      return 'jpeg';
    case '.gif':
      return 'gif';
    case '.bmp':
      return 'bmp';
    case '.webp':
      return 'webp';
    default:
      return null;
  }
}
