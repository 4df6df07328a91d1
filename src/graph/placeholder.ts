import { isDType, type DType } from '../core/dtype.js';
import { DTypeError, InvalidArgumentError } from '../core/errors.js';
import { getDefaultGraph } from './graph.js';
import type { SymbolicTensor } from './symbolic.js';

/**
 * A graph input that must be fed when the graph runs (TensorFlow's `tf.compat.v1.placeholder`).
 * Dimensions given as null (or -1) accept any size; a shape of undefined accepts... only what
 * is given: pass the rank you need.
 *
 * @example
 * ```ts
 * nb.v1.disableEagerExecution();
 * const x = nb.v1.placeholder('float32', [null, 4], 'x');
 * const y = nb.sum(x, 1);
 * new nb.v1.Session().run(y, {x: [[1, 2, 3, 4]]}); // [10]
 * ```
 */
export function placeholder(dtype: DType, shape: readonly (number | null)[] = [], name = 'Placeholder'): SymbolicTensor {
  if (!isDType(dtype)) {
    throw new DTypeError(`placeholder: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
  }
  if (!Array.isArray(shape) || shape.some((d) => d !== null && !(Number.isInteger(d) && d >= -1))) {
    throw new InvalidArgumentError(`placeholder '${name}': shape must hold non-negative integers or null, got ${JSON.stringify(shape)}.`);
  }
  const g = getDefaultGraph();
  const node = g.addNode('placeholder', name, []);
  return g.addOutput(node, shape.map((d) => (d === null ? -1 : d)), dtype);
}
