import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { reshape } from './reshape.js';
import { sum } from './reduction.js';

/**
 * Sums a broadcast gradient back to the shape of the input it came from
 * (the adjoint of broadcasting).
 */
export function sumToShape(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? sum(dy, axes, true) : dy;
  return reshape(summed, shape);
}
