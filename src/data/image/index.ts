// `nb.data.image`: decode/encode PNG and JPEG, read/write image files, resize, grayscale, montage.
export { ImageDecodeError } from './errors.js';
export { detectImageFormat, type ImageFormat } from './format.js';
export type { Channels } from './pixels.js';
export { decodePng, encodePng, type DecodeOptions, type EncodePngOptions } from './png.js';
export { decodeJpeg, encodeJpeg, type EncodeJpegOptions } from './jpeg.js';
export { decodeImage, readImage, writeImage, type WriteImageOptions } from './io.js';
export { resizeImage, type ResizeMethod, type ResizeOptions } from './resize.js';
export { toGrayscale } from './color.js';
export { montage, writeMontage, type Color, type MontageOptions } from './montage.js';
