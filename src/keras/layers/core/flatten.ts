import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { knownSize } from './util.js';

export type DataFormat = 'channelsLast' | 'channelsFirst';

export interface FlattenArgs extends LayerArgs {
  /**
   * 'channelsLast' (default) or 'channelsFirst'. With channelsFirst, inputs are moved to channels
   * last before flattening, so the element order matches a channels-last model's.
   */
  dataFormat?: DataFormat;
}

/**
 * Flattens every dim but the batch dim: `[batch, d1, d2, ...]` → `[batch, d1·d2·...]`
 * (`[batch]` → `[batch, 1]`).
 *
 * @example
 * ```ts
 * nb.keras.layers.flatten().apply(nb.zeros([8, 4, 4, 3])).shape; // [8, 48]
 * ```
 */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    super(args);
    const df = args.dataFormat ?? 'channelsLast';
    if (df !== 'channelsLast' && df !== 'channelsFirst') {
      throw new InvalidArgumentError(`Flatten '${this.name}': dataFormat must be 'channelsLast' or 'channelsFirst', got '${String(df)}'.`);
    }
    this.dataFormat = df;
    this.inputSpec = [{ minNdim: 1 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (this.dataFormat === 'channelsFirst' && x.rank >= 3) {
      x = ops.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
    }
    const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return ops.reshape(x, [x.shape[0]!, rest]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, knownSize(inputShape.slice(1))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }

  static fromConfig(config: Record<string, unknown>): Flatten {
    return new Flatten(config as unknown as FlattenArgs);
  }
}
registerLayer(Flatten);

/**
 * Creates a Flatten layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.flatten().apply(images); // [batch, h·w·c]
 * ```
 */
export function flatten(args: FlattenArgs = {}): Flatten {
  return new Flatten(args);
}
