// Adam, as tf.keras.optimizers.Adam (TF >= 2.11), with t = iterations + 1:
//   alpha = lr · sqrt(1 − β2^t) / (1 − β1^t)
//   m += (g − m)(1 − β1);  v += (g² − v)(1 − β2)
//   amsgrad: vHat = max(vHat, v), used in place of v
//   var -= alpha · m / (sqrt(v) + ε)
import { InvalidArgumentError } from '../../core/errors.js';
import { kernels } from '../../backend/registry.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface AdamOptions extends OptimizerOptions {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default false. */
  amsgrad?: boolean;
}

export function checkBeta(owner: string, what: string, x: number): void {
  if (!(x >= 0 && x < 1)) throw new InvalidArgumentError(`${owner}: ${what} must be in [0, 1), got ${x}.`);
}

export function checkEpsilon(owner: string, x: number): void {
  if (!(x >= 0 && Number.isFinite(x))) throw new InvalidArgumentError(`${owner}: epsilon must be a non-negative number, got ${x}.`);
}

/**
 * Adam. Default learning rate 0.001.
 *
 * @example `new nb.keras.optimizers.Adam({learningRate: 3e-4})`
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private alpha = 0;

  constructor(options: AdamOptions = {}, defaultName = 'Adam') {
    super(defaultName, 0.001, options);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
    checkBeta(this.name, 'beta1', this.beta1);
    checkBeta(this.name, 'beta2', this.beta2);
    checkEpsilon(this.name, this.epsilon);
  }

  slotNames(): string[] {
    return this.amsgrad ? ['m', 'v', 'vHat'] : ['m', 'v'];
  }

  protected override beginStep(lr: number, t: number): void {
    this.alpha = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], _lr: number, out: Float32Array): void {
    const m = slots[0]!;
    const v = slots[1]!;
    const c1 = 1 - this.beta1;
    const c2 = 1 - this.beta2;
    const eps = this.epsilon;
    const alpha = this.alpha;
    const n = out.length;
    if (this.amsgrad) {
      const vHat = slots[2]!;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        const mi = m[i]!;
        const vi = v[i]!;
        const mNext = (m[i] = mi + (gi - mi) * c1);
        const vNext = (v[i] = vi + (gi * gi - vi) * c2);
        const vh = vNext > vHat[i]! ? (vHat[i] = vNext) : vHat[i]!;
        out[i] = p[i]! - (mNext * alpha) / (Math.sqrt(vh) + eps);
      }
    } else {
      kernels().adamUpdate(p, g, m, v, out, alpha, this.beta1, this.beta2, eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
