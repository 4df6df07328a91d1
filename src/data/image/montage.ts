import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { writeImage, type WriteImageOptions } from './io.js';

/** A color: one value for every channel, or one per channel (e.g. `[255, 0, 0]` red). */
export type Color = number | readonly number[];

export interface MontageOptions {
  /** Tiles per row (default ceil(√n), a near-square grid). */
  columns?: number;
  /** Pixels between tiles and around the grid (default 2). */
  padding?: number;
  /** Color of the padding and of empty cells (default 0, black). */
  background?: Color;
  /**
   * A border color per tile (in order; null or undefined: none), drawn over the tile's outer
   * `borderWidth` pixels — e.g. red around the misclassified examples. Giving RGB colors for
   * grayscale tiles makes the montage RGB.
   */
  borders?: readonly (Color | null | undefined)[];
  /** Border thickness in pixels (default 2; at most half the tile's smaller side). */
  borderWidth?: number;
}

function checkInt(op: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new InvalidArgumentError(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}.`);
  }
  return v;
}

/** The tiles as one flat buffer [n, h, w, c], with their shape. */
function gatherTiles(op: string, images: Tensor | readonly Tensor[]): { data: ArrayLike<number>[]; n: number; h: number; w: number; c: number; float: boolean } {
  if (images instanceof Tensor) {
    if (images.rank !== 4) {
      throw new ShapeError(
        `${op}: expected a batch of images [n, height, width, channels], got shape ${formatShape(images.shape)}${images.rank === 3 ? '; for grayscale [n, h, w] add a channel axis with nb.expandDims(images, -1)' : ''}.`,
      );
    }
    const [n, h, w, c] = images.shape as [number, number, number, number];
    const per = h * w * c;
    const data = Array.from({ length: n }, (_, i) => images.values.subarray(i * per, (i + 1) * per));
    return { data, n, h, w, c, float: images.dtype === 'float32' };
  }
  if (!Array.isArray(images)) throw new InvalidArgumentError(`${op}: expected a Tensor [n, h, w, c] or an array of image Tensors.`);
  const list = images as readonly Tensor[];
  if (list.length === 0) throw new InvalidArgumentError(`${op}: no images to lay out.`);
  let shape: number[] | null = null;
  list.forEach((t, i) => {
    if (!(t instanceof Tensor) || (t.rank !== 2 && t.rank !== 3)) {
      throw new ShapeError(`${op}: image ${i} must be a Tensor [height, width, channels] or [height, width], got ${t instanceof Tensor ? `shape ${formatShape(t.shape)}` : typeof t}.`);
    }
    const s = t.rank === 2 ? [...t.shape, 1] : [...t.shape];
    if (shape === null) shape = s;
    else if (s.some((d, k) => d !== shape![k])) {
      throw new ShapeError(`${op}: all images need the same shape, but image 0 is ${formatShape(shape)} and image ${i} is ${formatShape(s)}; resize them first (resizeImage).`);
    }
  });
  const [h, w, c] = shape! as [number, number, number];
  return { data: list.map((t) => t.values), n: list.length, h, w, c, float: list.some((t) => t.dtype === 'float32') };
}

function colorValues(op: string, what: string, color: Color, channels: number): number[] {
  const list = typeof color === 'number' ? [color] : Array.isArray(color) ? [...(color as number[])] : null;
  if (list === null || list.length === 0 || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new InvalidArgumentError(`${op}: ${what} must be a number or an array of numbers (one per channel), got ${JSON.stringify(color)}.`);
  }
  if (list.length === 1) return Array<number>(channels).fill(list[0]!);
  if (list.length === 3 && channels === 4) return [...list, 255];
  if (list.length !== channels) {
    throw new InvalidArgumentError(`${op}: ${what} has ${list.length} values, but the images have ${channels} channels; give one value or ${channels}.`);
  }
  return list;
}

/**
 * Lays out images in a grid: one image [H, W, c] with `columns` tiles per row, `padding` pixels
 * of `background` between and around them, and optional colored borders per tile (e.g. to mark
 * the mistakes of a classifier). Takes a batch [n, h, w, c] or an array of same-shaped images;
 * the result keeps the dtype (float32 if any input is float32).
 *
 * @example
 * ```ts
 * const grid = nb.data.image.montage(images, {columns: 8, padding: 2, background: 255});
 * const marked = nb.data.image.montage(images, {borders: wrong.map((w) => (w ? [255, 0, 0] : null))});
 * ```
 */
export function montage(images: Tensor | readonly Tensor[], options: MontageOptions = {}): Tensor {
  const op = 'montage';
  const tiles = gatherTiles(op, images);
  const { n, h, w } = tiles;
  if (n === 0) throw new InvalidArgumentError(`${op}: no images to lay out.`);
  const columns = checkInt(op, 'columns', options.columns ?? Math.ceil(Math.sqrt(n)), 1);
  const padding = checkInt(op, 'padding', options.padding ?? 2, 0);
  const borderWidth = checkInt(op, 'borderWidth', options.borderWidth ?? 2, 1);
  const borders = options.borders ?? [];
  if (!Array.isArray(borders)) throw new InvalidArgumentError(`${op}: borders must be an array (one color or null per tile).`);
  if (borders.length > n) throw new InvalidArgumentError(`${op}: borders has ${borders.length} entries for ${n} images.`);
  if (borders.some((b) => b !== null && b !== undefined) && borderWidth * 2 > Math.min(h, w)) {
    throw new InvalidArgumentError(`${op}: borderWidth ${borderWidth} is more than half the ${h}x${w} tiles; use at most ${Math.floor(Math.min(h, w) / 2)}.`);
  }
  // Gray tiles become RGB when a color asks for it.
  const wantsRgb = [options.background, ...borders].some((col) => Array.isArray(col) && (col.length === 3 || col.length === 4));
  const inC = tiles.c;
  const c = inC === 1 && wantsRgb ? 3 : inC;
  const bg = colorValues(op, 'background', options.background ?? 0, c);
  const rows = Math.ceil(n / columns);
  const H = rows * h + (rows + 1) * padding;
  const W = columns * w + (columns + 1) * padding;
  const out = tiles.float ? new Float32Array(H * W * c) : new Int32Array(H * W * c);
  for (let p = 0; p < H * W; p++) for (let k = 0; k < c; k++) out[p * c + k] = bg[k]!;
  for (let i = 0; i < n; i++) {
    const src = tiles.data[i]!;
    const y0 = padding + Math.floor(i / columns) * (h + padding);
    const x0 = padding + (i % columns) * (w + padding);
    const col = borders[i];
    const border = col === null || col === undefined ? null : colorValues(op, `borders[${i}]`, col, c);
    for (let y = 0; y < h; y++) {
      const rowBase = ((y0 + y) * W + x0) * c;
      const edgeRow = y < borderWidth || y >= h - borderWidth;
      for (let x = 0; x < w; x++) {
        const o = rowBase + x * c;
        if (border !== null && (edgeRow || x < borderWidth || x >= w - borderWidth)) {
          for (let k = 0; k < c; k++) out[o + k] = border[k]!;
        } else if (inC === c) {
          const s = (y * w + x) * c;
          for (let k = 0; k < c; k++) out[o + k] = src[s + k]!;
        } else {
          const v = src[y * w + x]!;
          for (let k = 0; k < c; k++) out[o + k] = v;
        }
      }
    }
  }
  return new Tensor([H, W, c], tiles.float ? 'float32' : 'int32', out);
}

/**
 * Lays out images with `montage` and writes the grid to a PNG or JPEG file (by extension).
 * Values must lie in [0, 255].
 *
 * @example
 * ```ts
 * nb.data.image.writeMontage('samples.png', xTest.slice([0], [64]), {columns: 8});
 * ```
 */
export function writeMontage(path: string, images: Tensor | readonly Tensor[], options: MontageOptions & WriteImageOptions = {}): void {
  writeImage(path, montage(images, options), { quality: options.quality });
}
