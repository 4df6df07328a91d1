import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank−1 (1-based, the batch dim excluded), as in Keras. */
  dims: readonly number[];
}

/**
 * Permutes the non-batch dims: `dims[i]` is the input dim (1-based) that becomes output dim i+1.
 *
 * @example
 * ```ts
 * nb.keras.layers.permute({dims: [2, 1]}).apply(nb.zeros([8, 10, 64])).shape; // [8, 64, 10]
 * ```
 */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const dims = args.dims;
    const n = Array.isArray(dims) ? dims.length : 0;
    const valid =
      Array.isArray(dims) &&
      n > 0 &&
      dims.every((d) => Number.isInteger(d) && d >= 1 && d <= n) &&
      new Set(dims).size === n;
    if (!valid) {
      throw new InvalidArgumentError(
        `Permute '${this.name}': dims must be a permutation of 1..${n || 'N'} (1-based; the batch dim 0 cannot move), got ${JSON.stringify(dims)}.`,
      );
    }
    this.dims = [...dims];
    this.inputSpec = [{ ndim: n + 1 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return ops.transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }

  static fromConfig(config: Record<string, unknown>): Permute {
    return new Permute(config as unknown as PermuteArgs);
  }
}
registerLayer(Permute);

/**
 * Creates a Permute layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.permute({dims: [2, 1]}); // swap time and features
 * ```
 */
export function permute(args: PermuteArgs): Permute {
  return new Permute(args);
}
