// Dropout that stays correct inside a trace (nb.function, Keras's traced fit). `ops.dropout` fills
// its keep mask eagerly in JavaScript, which a trace would record as one constant mask reused at
// every step. While a graph is being built, the mask is made from a randomUniform op instead: it
// draws a fresh stream each time the graph runs, in the same order as the eager call would, and
// (uniform samples are the stream's 24-bit floats) keeps exactly the elements the eager mask keeps.
import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import { currentGraph } from '../../../graph/graph.js';
import * as ops from '../../../ops/index.js';

/**
 * `ops.dropout(x, rate, options)` eagerly; inside a graph, the same mask built from graph ops.
 *
 * @example
 * ```ts
 * const y = layerDropout(x, 0.5, {});   // a fresh mask per run, traced or not
 * ```
 */
export function layerDropout(x: Tensor, rate: number, options: { noiseShape?: readonly number[]; seed?: number }): Tensor {
  if (currentGraph() === null || rate === 0) return ops.dropout(x, rate, options);
  const shape = options.noiseShape ?? x.shape;
  if (shape.some((d) => !(Number.isInteger(d) && d >= 0))) {
    throw new InvalidArgumentError(
      `dropout: inside a traced function the mask needs a known shape, got [${shape.join(', ')}]; trace with concrete shapes (no null dims in the inputSignature) or run eagerly.`,
    );
  }
  if (shape.length !== x.rank || shape.some((d, i) => d !== x.shape[i] && d !== 1)) {
    throw new ShapeError(`dropout: noiseShape [${shape.join(', ')}] must have x's rank (${x.rank}) with each dim equal to x's or 1; x has shape [${x.shape.join(', ')}].`);
  }
  const keep = ops.greaterEqual(ops.randomUniform([...shape], 0, 1, 'float32', options.seed), rate);
  return ops.mul(x, ops.mul(ops.cast(keep, 'float32'), 1 / (1 - rate)));
}
