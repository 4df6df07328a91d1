// Nadam, as tf.keras.optimizers.Nadam (TF >= 2.11), with t = iterations + 1:
//   μ_t = β1 · (1 − ½ · 0.96^t),  μ_{t+1} = β1 · (1 − ½ · 0.96^(t+1))
//   Π_t = μ_1 ⋯ μ_t (kept across steps),  Π_{t+1} = Π_t · μ_{t+1}
//   m += (g − m)(1 − β1);  v += (g² − v)(1 − β2)
//   mHat = μ_{t+1} · m / (1 − Π_{t+1}) + (1 − μ_t) · g / (1 − Π_t)
//   vHat = v / (1 − β2^t)
//   var -= lr · mHat / (sqrt(vHat) + ε)
import { checkBeta, checkEpsilon } from './adam.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface NadamOptions extends OptimizerOptions {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const DECAY = 0.96;

/**
 * Adam with Nesterov momentum. Default learning rate 0.001.
 *
 * @example `new nb.keras.optimizers.Nadam()`
 */
export class Nadam extends Optimizer {
  static override readonly className: string = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Π of μ_1..μ_iterations. */
  private uProduct = 1;
  private k1 = 0;
  private k2 = 0;
  private vCorr = 1;

  constructor(options: NadamOptions = {}) {
    super('Nadam', 0.001, options);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkBeta('Nadam', 'beta1', this.beta1);
    checkBeta('Nadam', 'beta2', this.beta2);
    checkEpsilon('Nadam', this.epsilon);
  }

  slotNames(): string[] {
    return ['m', 'v'];
  }

  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(DECAY, t));
  }

  protected override beginStep(_lr: number, t: number): void {
    const uT = this.mu(t);
    const uT1 = this.mu(t + 1);
    this.uProduct *= uT;
    const uProductT1 = this.uProduct * uT1;
    this.k1 = uT1 / (1 - uProductT1);
    this.k2 = (1 - uT) / (1 - this.uProduct);
    this.vCorr = 1 - Math.pow(this.beta2, t);
  }

  protected override restoreStepState(iterations: number): void {
    let p = 1;
    for (let t = 1; t <= iterations; t++) p *= this.mu(t);
    this.uProduct = p;
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    const m = slots[0]!;
    const v = slots[1]!;
    const c1 = 1 - this.beta1;
    const c2 = 1 - this.beta2;
    const { k1, k2, vCorr, epsilon: eps } = this;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      m[i] = m[i]! + (gi - m[i]!) * c1;
      v[i] = v[i]! + (gi * gi - v[i]!) * c2;
      const mHat = k1 * m[i]! + k2 * gi;
      const vHat = v[i]! / vCorr;
      out[i] = p[i]! - (mHat * lr) / (Math.sqrt(vHat) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
