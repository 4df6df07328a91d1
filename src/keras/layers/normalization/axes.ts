import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

/** Checks an `axis` argument: an integer or a non-empty list of distinct integers. */
export function checkAxisArg(layer: string, axis: unknown): number | number[] {
  const ok = Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)));
  if (!ok) throw new InvalidArgumentError(`${layer}: axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis) ?? String(axis)}.`);
  return Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
}

/**
 * Resolves `axis` against an input shape: non-negative, sorted, distinct, in range, with known
 * sizes. Errors name the layer and the input shape.
 */
export function resolveAxes(label: string, axis: number | number[], inputShape: SymbolicShape): number[] {
  const rank = inputShape.length;
  const shown = `[${inputShape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
  const list = typeof axis === 'number' ? [axis] : axis;
  const axes = list.map((a) => {
    if (a < -rank || a >= rank) {
      throw new ShapeError(`${label}: axis ${a} is out of range for an input of rank ${rank} (shape ${shown}); use an axis in [${-rank}, ${rank - 1}].`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(axes).size !== axes.length) throw new InvalidArgumentError(`${label}: axis [${list.join(', ')}] names the same dimension twice.`);
  for (const a of axes) {
    if (inputShape[a] === null || inputShape[a] === undefined) {
      throw new ShapeError(`${label}: axis ${a} of the input must have a known size, got shape ${shown}.`);
    }
  }
  return axes.sort((p, q) => p - q);
}
