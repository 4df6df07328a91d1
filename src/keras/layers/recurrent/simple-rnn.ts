import * as ops from '../../../ops/index.js';
import { registerLayer } from '../../engine/serialization.js';
import { BaseRNN, maskState, type BaseRNNArgs, type StepContext, type StepFn } from './base-rnn.js';

export type SimpleRNNArgs = BaseRNNArgs;

/**
 * Fully-connected recurrent layer: `h_t = activation(x_t·kernel + h_{t−1}·recurrentKernel + bias)`.
 * Input [batch, time, features]; output [batch, units] (or [batch, time, units] with
 * returnSequences). Weights: kernel [inputDim, units], recurrent_kernel [units, units], bias [units].
 *
 * @example
 * ```ts
 * const rnn = new SimpleRNN({units: 8, returnSequences: true});
 * rnn.apply(nb.zeros([4, 10, 3])).shape; // [4, 10, 8]
 * ```
 */
export class SimpleRNN extends BaseRNN {
  static override readonly className = 'SimpleRNN';

  constructor(args: SimpleRNNArgs) {
    super(args);
  }

  protected gateCount(): number {
    return 1;
  }

  stateCount(): number {
    return 1;
  }

  protected makeStep(ctx: StepContext): StepFn {
    const u = this.recurrentKernel;
    return (xt, [h]) => [this.activation(ops.add(xt, ops.matMul(maskState(h!, ctx.recurrentMask), u)))];
  }

  static fromConfig(config: Record<string, unknown>): SimpleRNN {
    return new SimpleRNN(config as unknown as SimpleRNNArgs);
  }
}
registerLayer(SimpleRNN);

/**
 * Creates a SimpleRNN layer (Keras `SimpleRNN`): a fully-connected RNN whose output is fed back
 * as the next step's state.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.simpleRNN({units: 16});
 * layer.apply(nb.zeros([2, 5, 3])).shape; // [2, 16]
 * ```
 */
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  return new SimpleRNN(args);
}
