// SGD, as tf.keras.optimizers.SGD (TF >= 2.11):
//   momentum = 0:  var -= lr · g
//   otherwise:     m = momentum · m − lr · g
//                  var += m                          (plain)
//                  var += momentum · m − lr · g      (nesterov)
import { InvalidArgumentError } from '../../core/errors.js';
import { kernels } from '../../backend/registry.js';
import { Optimizer, type OptimizerOptions } from './base.js';

export interface SGDOptions extends OptimizerOptions {
  /** Default 0. */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
}

/**
 * Gradient descent with optional (Nesterov) momentum. Default learning rate 0.01.
 *
 * @example `new nb.keras.optimizers.SGD({learningRate: 0.1, momentum: 0.9, nesterov: true})`
 */
export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super('SGD', 0.01, options);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new InvalidArgumentError(`SGD: momentum must be in [0, 1], got ${this.momentum}.`);
    }
  }

  slotNames(): string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }

  protected updateStep(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void {
    kernels().sgdUpdate(p, g, this.momentum > 0 ? slots[0]! : null, out, lr, this.momentum, this.nesterov);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
