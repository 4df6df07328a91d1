// The projective warp behind RandomRotation/Zoom/Translation: TensorFlow's
// ImageProjectiveTransformV3 (fill modes, nearest/bilinear sampling) as plain loops over the
// values. Augmentation sits on the inputs, so no gradient is needed.
import { Tensor } from '../../../core/tensor.js';

/** How points outside the image are filled: mirror, tile, a constant, or the edge pixel. */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
/** How the warped image is sampled. */
export type Interpolation = 'bilinear' | 'nearest';

export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

/** `coord` mapped into [0, len - 1] the TensorFlow way (constant mode leaves it as is). */
function mapCoord(coord: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return coord;
  let c = coord;
  if (mode === 'reflect') {
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * len;
        if (c < sz2) c = sz2 * Math.trunc(-c / sz2) + c;
        c = c < -len ? c + sz2 : -c - 1;
      }
    } else if (c > len - 1) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * len;
        c -= sz2 * Math.trunc(c / sz2);
        if (c >= len) c = sz2 - c - 1;
      }
    }
  } else if (mode === 'wrap') {
    if (c < 0) {
      if (len <= 1) c = 0;
      else c += len * (Math.trunc(-c / (len - 1)) + 1);
    } else if (c > len - 1) {
      if (len <= 1) c = 0;
      else c -= len * Math.trunc(c / (len - 1));
    }
  }
  return Math.min(Math.max(c, 0), len - 1);
}

/** C's std::round: halves away from zero. */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * Warps float32 images [b, h, w, c]: output pixel (x, y) of image i samples the input at
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, where
 * `transforms[8i..8i+7]` = [a0, a1, a2, b0, b1, b2, c0, c1].
 */
export function transformImages(images: Tensor, transforms: Float64Array, interpolation: Interpolation, fillMode: FillMode, fillValue: number): Tensor {
  const [b, h, w, c] = images.shape as [number, number, number, number];
  const src = images.values as Float32Array;
  const out = new Float32Array(b * h * w * c);
  const read = (base: number, y: number, x: number, k: number): number => (y >= 0 && y < h && x >= 0 && x < w ? src[base + (y * w + x) * c + k]! : fillValue);
  for (let n = 0; n < b; n++) {
    const t = n * 8;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = [transforms[t]!, transforms[t + 1]!, transforms[t + 2]!, transforms[t + 3]!, transforms[t + 4]!, transforms[t + 5]!, transforms[t + 6]!, transforms[t + 7]!];
    const base = n * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = base + (y * w + x) * c;
        const k = c0 * x + c1 * y + 1;
        if (k === 0) {
          for (let ch = 0; ch < c; ch++) out[o + ch] = fillValue;
          continue;
        }
        const inX = mapCoord((a0 * x + a1 * y + a2) / k, w, fillMode);
        const inY = mapCoord((b0 * x + b1 * y + b2) / k, h, fillMode);
        if (interpolation === 'nearest') {
          const yi = roundHalfAway(inY);
          const xi = roundHalfAway(inX);
          if (yi >= 0 && yi < h && xi >= 0 && xi < w) {
            const s = base + (yi * w + xi) * c;
            for (let ch = 0; ch < c; ch++) out[o + ch] = src[s + ch]!;
          } else {
            for (let ch = 0; ch < c; ch++) out[o + ch] = fillValue;
          }
          continue;
        }
        const y0 = Math.floor(inY);
        const x0 = Math.floor(inX);
        const wy1 = inY - y0;
        const wx1 = inX - x0;
        const wy0 = 1 - wy1;
        const wx0 = 1 - wx1;
        if (y0 >= 0 && y0 + 1 < h && x0 >= 0 && x0 + 1 < w) {
          // Interior: all four neighbours exist.
          const s00 = base + (y0 * w + x0) * c;
          const s01 = s00 + c;
          const s10 = s00 + w * c;
          const s11 = s10 + c;
          for (let ch = 0; ch < c; ch++) {
            out[o + ch] = wy0 * (wx0 * src[s00 + ch]! + wx1 * src[s01 + ch]!) + wy1 * (wx0 * src[s10 + ch]! + wx1 * src[s11 + ch]!);
          }
        } else {
          for (let ch = 0; ch < c; ch++) {
            const top = wx0 * read(base, y0, x0, ch) + wx1 * read(base, y0, x0 + 1, ch);
            const bottom = wx0 * read(base, y0 + 1, x0, ch) + wx1 * read(base, y0 + 1, x0 + 1, ch);
            out[o + ch] = wy0 * top + wy1 * bottom;
          }
        }
      }
    }
  }
  return new Tensor([b, h, w, c], 'float32', out);
}
