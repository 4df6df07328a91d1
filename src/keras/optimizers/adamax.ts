// Adamax, as tf.keras.optimizers.Adamax (TF >= 2.11), with t = iterations + 1:
//   m += (g − m)(1 − β1);  u = max(β2·u, |g|)
//   var -= lr · m / ((1 − β1^t)(u + ε))
import { checkBeta, checkEpsilon } from './adam.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface AdamaxOptions extends OptimizerOptions {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Adamax (Adam with the infinity norm). Default learning rate 0.001.
 *
 * @example `new nb.keras.optimizers.Adamax({learningRate: 2e-3})`
 */
export class Adamax extends Optimizer {
  static override readonly className: string = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private correction = 1;

  constructor(options: AdamaxOptions = {}) {
    super('Adamax', 0.001, options);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkBeta('Adamax', 'beta1', this.beta1);
    checkBeta('Adamax', 'beta2', this.beta2);
    checkEpsilon('Adamax', this.epsilon);
  }

  slotNames(): string[] {
    return ['m', 'u'];
  }

  protected override beginStep(_lr: number, t: number): void {
    this.correction = 1 - Math.pow(this.beta1, t);
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    const m = slots[0]!;
    const u = slots[1]!;
    const c1 = 1 - this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const corr = this.correction;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      m[i] = m[i]! + (gi - m[i]!) * c1;
      const decayed = b2 * u[i]!;
      const ag = Math.abs(gi);
      u[i] = decayed > ag ? decayed : ag;
      out[i] = p[i]! - (lr * m[i]!) / (corr * (u[i]! + eps));
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
