// Dropout masks that stay correct inside a trace (nb.function, Keras's traced fit). `ops.dropout`
// fills its keep mask eagerly in JavaScript, which a trace would record as one constant mask
// reused at every step; a seeded layer also varies its seed with a JavaScript call counter. While a
// graph is built the mask is instead a per-run op (see per-run.ts) that runs the same eager code,
// seed counter included, each time the graph runs: the same masks, in the same order, as eager calls.
import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { isBuildingGraph } from '../../../ops/engine.js';
import { perRunFill } from './per-run.js';
import { nextStream } from '../../../core/random.js';
import { kernels } from '../../../backend/registry.js';

/**
 * The keep mask `ops.dropout` would apply to a tensor of `shape` (0, or 1/(1 − rate)), drawn at
 * every run inside a graph; `seed()` is called once per draw.
 *
 * @example
 * ```ts
 * const mask = dropoutMask(layer, 'mask', [batch, units], 0.3, () => undefined);
 * ```
 */
export function dropoutMask(owner: { name: string }, tag: string, shape: readonly number[], rate: number, seed: () => number | undefined): Tensor {
  if (shape.some((d) => !(Number.isInteger(d) && d >= 0))) {
    throw new InvalidArgumentError(
      `${owner.name}: inside a traced function the dropout mask needs a known shape, got [${shape.join(', ')}]; trace with concrete shapes (no null dims in the inputSignature) or run eagerly.`,
    );
  }
  // ops.dropout's keep mask (nn.ts keepMask), written straight into the op's output.
  return perRunFill(owner, `${owner.name}/${tag}`, 'float32', shape, (out) => {
    const key = nextStream(seed()).freshKey()!;
    kernels().philoxKeepMask(out.values as Float32Array, key[0], key[1], rate, 1 / (1 - rate));
  });
}

/**
 * `ops.dropout(x, rate, {noiseShape, seed: seed()})` eagerly; inside a graph, `x` times a mask
 * drawn at every run (`dropoutMask`).
 *
 * @example
 * ```ts
 * const y = layerDropout(this, 'dropout', x, 0.5, {seed: () => undefined});
 * ```
 */
export function layerDropout(owner: { name: string }, tag: string, x: Tensor, rate: number, options: { noiseShape?: readonly number[]; seed: () => number | undefined }): Tensor {
  if (!isBuildingGraph() || rate === 0) return ops.dropout(x, rate, { noiseShape: options.noiseShape, seed: options.seed() });
  const shape = options.noiseShape ?? x.shape;
  if (shape.length !== x.rank || shape.some((d, i) => d !== x.shape[i] && d !== 1)) {
    throw new ShapeError(`dropout: noiseShape [${shape.join(', ')}] must have x's rank (${x.rank}) with each dim equal to x's or 1; x has shape [${x.shape.join(', ')}].`);
  }
  return ops.mul(x, dropoutMask(owner, tag, shape, rate, options.seed));
}
