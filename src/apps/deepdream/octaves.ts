// Image sizes of a multi-octave dream: the working size, then successively smaller octaves.
import * as nb from '../../index.js';

/** VGG19 has five 2x2 poolings: a side under 32 pixels leaves nothing for block5. */
export const MIN_SIDE = 32;

/**
 * [height, width] with the longer side `size` (aspect kept); an InvalidArgumentError when the
 * shorter side would fall under 32 pixels.
 *
 * @example
 * ```ts
 * dreamWorkingSize(300, 451, 256); // [170, 256]
 * ```
 */
export function dreamWorkingSize(height: number, width: number, size: number): [number, number] {
  if (!Number.isInteger(size) || size < MIN_SIDE) throw new nb.InvalidArgumentError(`deepdream: size must be an integer >= ${MIN_SIDE}, got ${String(size)}.`);
  const scale = size / Math.max(height, width);
  const h = Math.round(height * scale);
  const w = Math.round(width * scale);
  if (Math.min(h, w) < MIN_SIDE) {
    throw new nb.InvalidArgumentError(`deepdream: at size ${size} the ${height}x${width} image would be ${h}x${w}; VGG19 needs at least ${MIN_SIDE} pixels per side, so use a larger size.`);
  }
  return [h, w];
}

/**
 * The octave sizes, smallest first and `[height, width]` last: octave i (of n) is the working size
 * divided by `scale^(n-1-i)`, rounded. An InvalidArgumentError when the smallest octave would have
 * a side under 32 pixels (use fewer octaves, a smaller scale or a larger size).
 *
 * @example
 * ```ts
 * octaveSizes([100, 200], 3, 1.4); // [[51, 102], [71, 143], [100, 200]]
 * ```
 */
export function octaveSizes(size: readonly [number, number], octaves: number, scale: number): [number, number][] {
  if (!Number.isInteger(octaves) || octaves < 1) throw new nb.InvalidArgumentError(`deepdream: octaves must be a positive integer, got ${String(octaves)}.`);
  if (!Number.isFinite(scale) || scale <= 1 || scale > 4) throw new nb.InvalidArgumentError(`deepdream: octaveScale must be a number in (1, 4], e.g. 1.4; got ${String(scale)}.`);
  const [h, w] = size;
  const sizes: [number, number][] = [];
  for (let i = 0; i < octaves; i++) {
    const f = scale ** (octaves - 1 - i);
    sizes.push([Math.round(h / f), Math.round(w / f)]);
  }
  const [sh, sw] = sizes[0]!;
  if (Math.min(sh, sw) < MIN_SIDE) {
    throw new nb.InvalidArgumentError(
      `deepdream: with ${octaves} octaves of scale ${scale} the smallest octave of the ${h}x${w} image is ${sh}x${sw}; VGG19 needs at least ${MIN_SIDE} pixels per side. Use fewer octaves, a smaller octave scale or a larger size.`,
    );
  }
  return sizes;
}
