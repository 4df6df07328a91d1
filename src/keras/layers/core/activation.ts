import type { Tensor } from '../../../core/tensor.js';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

export interface ActivationArgs extends LayerArgs {
  /** Activation name ('relu', 'softmax', ...) or function. */
  activation: string | ActivationFn;
}

/**
 * Applies an activation function element-wise.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.activation({activation: 'relu'});
 * layer.apply(nb.tensor([[-1, 2]])); // [[0, 2]]
 * ```
 */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: ActivationFn;
  private readonly activationName: string;

  constructor(args: ActivationArgs) {
    super(args);
    this.activation = getActivation(args.activation, this.name);
    this.activationName = serializeActivation(args.activation);
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return this.activation(x);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activationName };
  }

  static fromConfig(config: Record<string, unknown>): Activation {
    return new Activation(config as unknown as ActivationArgs);
  }
}
registerLayer(Activation);

/**
 * Creates an Activation layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.activation({activation: 'tanh'}).apply(x);
 * ```
 */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}
