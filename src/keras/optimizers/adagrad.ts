// Adagrad, as tf.keras.optimizers.Adagrad (TF >= 2.11):
//   acc += g²  (acc starts at initialAccumulatorValue);  var -= lr · g / sqrt(acc + ε)
import { InvalidArgumentError } from '../../core/errors.js';
import { checkEpsilon } from './adam.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.1. */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Adagrad. Default learning rate 0.001.
 *
 * @example `new nb.keras.optimizers.Adagrad({learningRate: 0.01})`
 */
export class Adagrad extends Optimizer {
  static override readonly className: string = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super('Adagrad', 0.001, options);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
    if (!(this.initialAccumulatorValue >= 0)) {
      throw new InvalidArgumentError(`Adagrad: initialAccumulatorValue must be >= 0, got ${this.initialAccumulatorValue}.`);
    }
    checkEpsilon('Adagrad', this.epsilon);
  }

  slotNames(): string[] {
    return ['accumulator'];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    const acc = slots[0]!;
    const eps = this.epsilon;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      acc[i] = acc[i]! + gi * gi;
      out[i] = p[i]! - (lr * gi) / Math.sqrt(acc[i]! + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
