// Adadelta, as tf.keras.optimizers.Adadelta (TF >= 2.11), with rms(x) = sqrt(x + ε):
//   accGrad = ρ·accGrad + (1 − ρ)·g²
//   delta = −rms(accDelta) · g / rms(accGrad)
//   accDelta = ρ·accDelta + (1 − ρ)·delta²
//   var += lr · delta
import { InvalidArgumentError } from '../../core/errors.js';
import { checkEpsilon } from './adam.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface AdadeltaOptions extends OptimizerOptions {
  /** Default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Adadelta. Default learning rate 0.001 (as Keras; the original paper uses 1).
 *
 * @example `new nb.keras.optimizers.Adadelta({learningRate: 1})`
 */
export class Adadelta extends Optimizer {
  static override readonly className: string = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    super('Adadelta', 0.001, options);
    this.rho = options.rho ?? 0.95;
    this.epsilon = options.epsilon ?? 1e-7;
    if (!(this.rho >= 0 && this.rho <= 1)) throw new InvalidArgumentError(`Adadelta: rho must be in [0, 1], got ${this.rho}.`);
    checkEpsilon('Adadelta', this.epsilon);
  }

  slotNames(): string[] {
    return ['accumulatedGrad', 'accumulatedDeltaVar'];
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    const accG = slots[0]!;
    const accD = slots[1]!;
    const rho = this.rho;
    const c = 1 - rho;
    const eps = this.epsilon;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      accG[i] = rho * accG[i]! + c * gi * gi;
      const delta = (-Math.sqrt(accD[i]! + eps) * gi) / Math.sqrt(accG[i]! + eps);
      accD[i] = rho * accD[i]! + c * delta * delta;
      out[i] = p[i]! + lr * delta;
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
