// FTRL-Proximal, as tf.keras.optimizers.Ftrl (TF >= 2.11). Per element, with p = −learningRatePower,
// λ1 = l1RegularizationStrength, λ2 = l2RegularizationStrength + beta / (2·lr), s = l2Shrinkage:
//   gs = g + 2·s·w                              (gradient with shrinkage-type L2)
//   n' = n + g²                                 (accumulator; starts at initialAccumulatorValue)
//   z += gs − (n'^p − n^p) / lr · w             (linear; starts at 0)
//   w = (clip(z, −λ1, λ1) − z) / (n'^p / lr + 2·λ2)
// so |z| ≤ λ1 gives w = 0 exactly (the L1 term's sparsity). As in TF's implementation, the online
// L2 strength enters the denominator doubled (the derivative of λ2·w²).
import { InvalidArgumentError } from '../../core/errors.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface FtrlOptions extends OptimizerOptions {
  /** How the per-coordinate rate falls with the accumulator; <= 0 (default -0.5, 0 for a fixed rate). */
  learningRatePower?: number;
  /** Starting value of the accumulators, >= 0 (default 0.1). */
  initialAccumulatorValue?: number;
  /** L1 strength λ1 >= 0 (default 0); weights whose |z| <= λ1 are exactly 0. */
  l1RegularizationStrength?: number;
  /** Online L2 strength λ2 >= 0 (default 0). */
  l2RegularizationStrength?: number;
  /** Shrinkage-type L2 >= 0 (an L2 penalty on the loss, added to the gradient; default 0). */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's β >= 0 (default 0), added to the denominator as β / lr. */
  beta?: number;
}

function checkAtLeastZero(what: string, x: number): void {
  if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) {
    throw new InvalidArgumentError(`Ftrl: ${what} must be a finite number >= 0, got ${String(x)}.`);
  }
}

/**
 * FTRL-Proximal ("Follow The Regularized Leader", McMahan et al. 2013): per-coordinate adaptive
 * rates with L1 (sparse weights) and L2 regularization built into the update; TensorFlow's default
 * optimizer for linear estimators. Default learning rate 0.001.
 *
 * @example
 * ```ts
 * const opt = new nb.keras.optimizers.Ftrl({learningRate: 0.2, l1RegularizationStrength: 0.01});
 * const est = new nb.estimator.LinearClassifier({featureColumns, optimizer: opt});
 * ```
 */
export class Ftrl extends Optimizer {
  static override readonly className: string = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    super('Ftrl', 0.001, options);
    this.learningRatePower = options.learningRatePower ?? -0.5;
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.l1RegularizationStrength = options.l1RegularizationStrength ?? 0;
    this.l2RegularizationStrength = options.l2RegularizationStrength ?? 0;
    this.l2ShrinkageRegularizationStrength = options.l2ShrinkageRegularizationStrength ?? 0;
    this.beta = options.beta ?? 0;
    if (!(typeof this.learningRatePower === 'number' && Number.isFinite(this.learningRatePower) && this.learningRatePower <= 0)) {
      throw new InvalidArgumentError(`Ftrl: learningRatePower must be a number <= 0 (0 for a fixed rate), got ${String(this.learningRatePower)}.`);
    }
    checkAtLeastZero('initialAccumulatorValue', this.initialAccumulatorValue);
    checkAtLeastZero('l1RegularizationStrength', this.l1RegularizationStrength);
    checkAtLeastZero('l2RegularizationStrength', this.l2RegularizationStrength);
    checkAtLeastZero('l2ShrinkageRegularizationStrength', this.l2ShrinkageRegularizationStrength);
    checkAtLeastZero('beta', this.beta);
  }

  slotNames(): string[] {
    return ['accumulator', 'linear'];
  }

  protected override slotInitialValue(index: number): number {
    return index === 0 ? this.initialAccumulatorValue : 0;
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    if (!(lr > 0)) throw new InvalidArgumentError(`Ftrl: the learning rate must be > 0 (it divides the update), got ${lr} at step ${this.iterations}.`);
    const acc = slots[0]!;
    const lin = slots[1]!;
    const power = -this.learningRatePower;
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrink = 2 * this.l2ShrinkageRegularizationStrength;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const w = p[i]!;
      const gi = g[i]!;
      const nOld = acc[i]!;
      const nNew = nOld + gi * gi;
      const z = lin[i]! + gi + shrink * w - ((nNew ** power - nOld ** power) / lr) * w;
      lin[i] = z;
      acc[i] = nNew;
      const clipped = z > l1 ? l1 : z < -l1 ? -l1 : z;
      out[i] = (clipped - z) / (nNew ** power / lr + 2 * l2);
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
