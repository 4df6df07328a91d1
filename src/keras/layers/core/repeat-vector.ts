import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each input vector. */
  n: number;
}

/**
 * Repeats each input vector `n` times: `[batch, features]` → `[batch, n, features]`.
 *
 * @example
 * ```ts
 * nb.keras.layers.repeatVector({n: 3}).apply(nb.zeros([2, 5])).shape; // [2, 3, 5]
 * ```
 */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    if (!Number.isInteger(args.n) || args.n <= 0) {
      throw new InvalidArgumentError(`RepeatVector '${this.name}': n must be a positive integer, got ${String(args.n)}.`);
    }
    this.n = args.n;
    this.inputSpec = [{ ndim: 2 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return ops.tile(ops.expandDims(x, 1), [1, this.n, 1]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }

  static fromConfig(config: Record<string, unknown>): RepeatVector {
    return new RepeatVector(config as unknown as RepeatVectorArgs);
  }
}
registerLayer(RepeatVector);

/**
 * Creates a RepeatVector layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.repeatVector({n: 10}); // encoder state → decoder sequence
 * ```
 */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  return new RepeatVector(args);
}
