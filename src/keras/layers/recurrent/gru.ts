import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations.js';
import { registerLayer } from '../../engine/serialization.js';
import { BaseRNN, maskState, type BaseRNNArgs, type StepContext, type StepFn } from './base-rnn.js';
import { gruSequence } from './gru-sequence.js';
import { canFuseRecurrent } from './lstm-cell.js';

export interface GRUArgs extends BaseRNNArgs {
  /** Activation of the update and reset gates (default 'sigmoid'). */
  recurrentActivation?: string | ActivationFn | null;
  /**
   * Apply the reset gate after the recurrent matMul (default true, the Keras 2 / TF2 and cuDNN
   * convention; the bias is then [2, 3·units]: input bias and recurrent bias).
   */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al.), with Keras's equations and weight layout: gates in the order
 * z (update), r (reset), h (candidate); kernel [inputDim, 3·units], recurrent_kernel
 * [units, 3·units], bias [2, 3·units] when resetAfter (default) else [3·units].
 *
 * ```
 * resetAfter:  h̃ = act(x·W_h + b_h + r ⊙ (h·U_h + rb_h))
 * otherwise:   h̃ = act(x·W_h + b_h + (r ⊙ h)·U_h)
 * h' = z ⊙ h + (1 − z) ⊙ h̃
 * ```
 *
 * @example
 * ```ts
 * const gru = new GRU({units: 8, returnSequences: true});
 * gru.apply(nb.zeros([4, 10, 3])).shape; // [4, 10, 8]
 * ```
 */
export class GRU extends BaseRNN {
  static override readonly className = 'GRU';
  readonly recurrentActivation: ActivationFn;
  private readonly recurrentActivationName: string;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args);
    const ra = args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation;
    this.recurrentActivation = getActivation(ra, this.name);
    this.recurrentActivationName = serializeActivation(ra);
    this.resetAfter = args.resetAfter ?? true;
  }

  protected gateCount(): number {
    return 3;
  }

  stateCount(): number {
    return 1;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): Tensor | null {
    if (!this.bias) return null;
    return this.resetAfter ? ops.reshape(ops.slice(this.bias, [0, 0], [1, -1]), [3 * this.units]) : this.bias;
  }

  /** The Keras defaults (reset_after, sigmoid, tanh) without recurrent dropout run as one op (gru-sequence.ts). */
  protected override runFusedSequence(projection: Tensor, states: Tensor[], ctx: StepContext): { sequence: Tensor; states: Tensor[] } | null {
    const fusable = this.resetAfter && this.activationName === 'tanh' && this.recurrentActivationName === 'sigmoid';
    const h0 = states[0]!;
    if (!fusable || ctx.recurrentMask || !canFuseRecurrent(projection) || h0.dtype !== 'float32') return null;
    const n = this.units;
    const recurrentBias = this.bias ? ops.reshape(ops.slice(this.bias, [1, 0], [1, -1]), [3 * n]) : ops.zeros([3 * n]);
    const hs = gruSequence(projection, this.recurrentKernel, recurrentBias, h0);
    const [batch, time] = projection.shape as [number, number];
    return { sequence: hs, states: [ops.reshape(ops.slice(hs, [0, time - 1, 0], [batch, 1, n]), [batch, n])] };
  }

  protected makeStep(ctx: StepContext): StepFn {
    const n = this.units;
    const act = this.activation;
    const ra = this.recurrentActivation;
    const mask = ctx.recurrentMask;
    const u = this.recurrentKernel;
    if (this.resetAfter) {
      const recurrentBias = this.bias ? ops.reshape(ops.slice(this.bias, [1, 0], [1, -1]), [3 * n]) : null;
      return (xt, [h]) => {
        let inner = ops.matMul(maskState(h!, mask), u);
        if (recurrentBias) inner = ops.add(inner, recurrentBias);
        const [xzr, xh] = ops.split(xt, [2 * n, n], 1) as [Tensor, Tensor];
        const [izr, ih] = ops.split(inner, [2 * n, n], 1) as [Tensor, Tensor];
        const [z, r] = ops.split(ra(ops.add(xzr, izr)), 2, 1) as [Tensor, Tensor];
        const hh = act(ops.add(xh, ops.mul(r, ih)));
        // z·h + (1 − z)·h̃ = h̃ + z·(h − h̃)
        return [ops.add(hh, ops.mul(z, ops.sub(h!, hh)))];
      };
    }
    const uzr = ops.slice(u, [0, 0], [n, 2 * n]);
    const uh = ops.slice(u, [0, 2 * n], [n, n]);
    return (xt, [h]) => {
      const hm = maskState(h!, mask);
      const [xzr, xh] = ops.split(xt, [2 * n, n], 1) as [Tensor, Tensor];
      const [z, r] = ops.split(ra(ops.add(xzr, ops.matMul(hm, uzr))), 2, 1) as [Tensor, Tensor];
      const hh = act(ops.add(xh, ops.matMul(ops.mul(r, hm), uh)));
      return [ops.add(hh, ops.mul(z, ops.sub(h!, hh)))];
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivationName,
      resetAfter: this.resetAfter,
    };
  }

  static fromConfig(config: Record<string, unknown>): GRU {
    return new GRU(config as unknown as GRUArgs);
  }
}
registerLayer(GRU);

/**
 * Creates a GRU layer (Keras `GRU`, resetAfter true by default as in TF2).
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.gru({units: 16});
 * layer.apply(nb.zeros([2, 5, 3])).shape; // [2, 16]
 * ```
 */
export function gru(args: GRUArgs): GRU {
  return new GRU(args);
}
