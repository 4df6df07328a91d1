import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { finiteNumber } from './util.js';

export interface RescalingArgs extends LayerArgs {
  /** Multiplier. */
  scale: number;
  /** Added after scaling (default 0). */
  offset?: number;
}

/**
 * Rescales inputs: `x · scale + offset` (integer inputs are cast to the layer's dtype first).
 *
 * @example
 * ```ts
 * nb.keras.layers.rescaling({scale: 1 / 127.5, offset: -1}); // [0, 255] → [-1, 1]
 * ```
 */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super(args);
    this.scale = finiteNumber(`Rescaling '${this.name}'`, 'scale', args.scale);
    this.offset = finiteNumber(`Rescaling '${this.name}'`, 'offset', args.offset ?? 0);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.dtype !== this.dtype) x = ops.cast(x, this.dtype);
    return ops.add(ops.mul(x, this.scale), this.offset);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }

  static fromConfig(config: Record<string, unknown>): Rescaling {
    return new Rescaling(config as unknown as RescalingArgs);
  }
}
registerLayer(Rescaling);

/**
 * Creates a Rescaling layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.rescaling({scale: 1 / 255}).apply(images);
 * ```
 */
export function rescaling(args: RescalingArgs): Rescaling {
  return new Rescaling(args);
}
