import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations.js';
import type { Initializer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import { BaseRNN, maskState, type BaseRNNArgs, type StepContext, type StepFn } from './base-rnn.js';
import { canFuseRecurrent, lstmCell } from './lstm-cell.js';
import { lstmSequence } from './lstm-sequence.js';

export interface LSTMArgs extends BaseRNNArgs {
  /** Activation of the input, forget and output gates (default 'sigmoid'). */
  recurrentActivation?: string | ActivationFn | null;
  /** Add 1 to the forget gate's bias at initialisation (default true), as Jozefowicz et al. advise. */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory layer (Hochreiter & Schmidhuber), with Keras's equations and weight
 * layout: kernel [inputDim, 4·units], recurrent_kernel [units, 4·units], bias [4·units], gates in
 * the order i, f, c, o.
 *
 * ```
 * z = x_t·kernel + h·recurrentKernel + bias;  [i, f, c̃, o] = split(z, 4)
 * c = σ(f)·c + σ(i)·act(c̃);  h = σ(o)·act(c)
 * ```
 *
 * States are [h, c]; with returnState the layer returns [output, h, c].
 *
 * @example
 * ```ts
 * const lstm = new LSTM({units: 8, returnState: true});
 * const [out, h, c] = lstm.apply(nb.zeros([4, 10, 3])) as nb.Tensor[];
 * ```
 */
export class LSTM extends BaseRNN {
  static override readonly className = 'LSTM';
  readonly recurrentActivation: ActivationFn;
  private readonly recurrentActivationName: string;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    super(args);
    const ra = args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation;
    this.recurrentActivation = getActivation(ra, this.name);
    this.recurrentActivationName = serializeActivation(ra);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected gateCount(): number {
    return 4;
  }

  stateCount(): number {
    return 2;
  }

  protected override effectiveBiasInitializer(): Initializer {
    if (!this.unitForgetBias) return this.biasInitializer;
    const init = this.biasInitializer;
    const units = this.units;
    return {
      className: init.className,
      getConfig: () => init.getConfig(),
      apply: (_shape, dtype) => ops.concat([init.apply([units], dtype), ops.ones([units], dtype), init.apply([2 * units], dtype)], 0),
    };
  }

  /** The Keras defaults without recurrent dropout run the whole loop as one op (lstm-sequence.ts). */
  protected override runFusedSequence(projection: Tensor, states: Tensor[], ctx: StepContext): { sequence: Tensor; states: Tensor[] } | null {
    const fusable = this.activationName === 'tanh' && this.recurrentActivationName === 'sigmoid';
    const [h0, c0] = states as [Tensor, Tensor];
    if (!fusable || ctx.recurrentMask || !canFuseRecurrent(projection) || h0.dtype !== 'float32' || c0.dtype !== 'float32') return null;
    const [hs, cT] = lstmSequence(projection, this.recurrentKernel, h0, c0);
    const [batch, time] = projection.shape as [number, number];
    const hT = ops.reshape(ops.slice(hs, [0, time - 1, 0], [batch, 1, this.units]), [batch, this.units]);
    return { sequence: hs, states: [hT, cT] };
  }

  protected makeStep(ctx: StepContext): StepFn {
    const u = this.recurrentKernel;
    const act = this.activation;
    const ra = this.recurrentActivation;
    // The Keras defaults (sigmoid gates, tanh) run as one fused op per step each way (lstm-cell.ts).
    const fusable = this.activationName === 'tanh' && this.recurrentActivationName === 'sigmoid';
    return (xt, [h, c]): Tensor[] => {
      const z = ops.add(xt, ops.matMul(maskState(h!, ctx.recurrentMask), u));
      if (fusable && canFuseRecurrent(z)) return lstmCell(z, c!);
      const [zi, zf, zc, zo] = ops.split(z, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
      const cNew = ops.add(ops.mul(ra(zf), c!), ops.mul(ra(zi), act(zc)));
      const hNew = ops.mul(ra(zo), act(cNew));
      return [hNew, cNew];
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivationName,
      unitForgetBias: this.unitForgetBias,
    };
  }

  static fromConfig(config: Record<string, unknown>): LSTM {
    return new LSTM(config as unknown as LSTMArgs);
  }
}
registerLayer(LSTM);

/**
 * Creates an LSTM layer (Keras `LSTM`).
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.lstm({units: 32, returnSequences: true});
 * layer.apply(nb.zeros([2, 7, 4])).shape; // [2, 7, 32]
 * ```
 */
export function lstm(args: LSTMArgs): LSTM {
  return new LSTM(args);
}
