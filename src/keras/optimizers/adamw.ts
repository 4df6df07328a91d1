// AdamW, as tf.keras.optimizers.AdamW (TF >= 2.11): Adam with decoupled weight decay applied
// before each update, `var -= var · weightDecay · lr` (default weightDecay 0.004).
import { Adam, type AdamOptions } from './adam.js';

/**
 * Adam with decoupled weight decay. Default learning rate 0.001, weight decay 0.004.
 *
 * @example `new nb.keras.optimizers.AdamW({learningRate: 1e-3, weightDecay: 0.01})`
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';
  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 }, 'AdamW');
  }
}
