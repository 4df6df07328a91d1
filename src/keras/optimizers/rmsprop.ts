// RMSprop, as tf.keras.optimizers.RMSprop (TF >= 2.11):
//   v = ρ·v + (1 − ρ)·g²
//   centered: a = ρ·a + (1 − ρ)·g;  denom = v − a² + ε   else denom = v + ε
//   inc = lr · g / sqrt(denom)
//   momentum > 0: mom = momentum·mom + inc;  var -= mom      else var -= inc
import { InvalidArgumentError } from '../../core/errors.js';
import { checkEpsilon } from './adam.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default false. */
  centered?: boolean;
}

/**
 * RMSprop. Default learning rate 0.001.
 *
 * @example `new nb.keras.optimizers.RMSprop({learningRate: 1e-3, momentum: 0.9})`
 */
export class RMSprop extends Optimizer {
  static override readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super('RMSprop', 0.001, options);
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
    if (!(this.rho >= 0 && this.rho <= 1)) throw new InvalidArgumentError(`RMSprop: rho must be in [0, 1], got ${this.rho}.`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new InvalidArgumentError(`RMSprop: momentum must be in [0, 1], got ${this.momentum}.`);
    checkEpsilon('RMSprop', this.epsilon);
  }

  slotNames(): string[] {
    const names = ['velocity'];
    if (this.momentum > 0) names.push('momentum');
    if (this.centered) names.push('averageGradient');
    return names;
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    const v = slots[0]!;
    const mom = this.momentum > 0 ? slots[1]! : null;
    const avg = this.centered ? slots[this.momentum > 0 ? 2 : 1]! : null;
    const rho = this.rho;
    const c = 1 - rho;
    const eps = this.epsilon;
    const mu = this.momentum;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      v[i] = rho * v[i]! + c * gi * gi;
      let denom: number;
      if (avg) {
        avg[i] = rho * avg[i]! + c * gi;
        denom = v[i]! - avg[i]! * avg[i]! + eps;
      } else {
        denom = v[i]! + eps;
      }
      const inc = (lr * gi) / Math.sqrt(denom);
      if (mom) {
        mom[i] = mu * mom[i]! + inc;
        out[i] = p[i]! - mom[i]!;
      } else {
        out[i] = p[i]! - inc;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
