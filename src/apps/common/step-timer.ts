import * as nb from '../../index.js';

/**
 * A `fit` callback that times the training steps alone (validation passes and data loading
 * between batches left out) and counts the samples they saw, for a samples-per-second figure.
 *
 * @example
 * ```ts
 * const timer = new StepTimer();
 * await model.fit(x, y, {epochs: 1, callbacks: [timer]});
 * console.log(`${Math.round(timer.samplesPerSecond)} samples/s`);
 * ```
 */
export class StepTimer extends nb.keras.callbacks.Callback {
  /** Seconds spent inside training steps. */
  seconds = 0;
  /** Samples those steps trained on. */
  samples = 0;
  private t0 = 0;

  override onTrainBatchBegin(_batch: number, logs: Record<string, number> = {}): void {
    this.t0 = performance.now();
    this.samples += logs['size'] ?? 0;
  }

  override onTrainBatchEnd(): void {
    this.seconds += (performance.now() - this.t0) / 1000;
  }

  /** Training samples per second over the timed steps (0 before any step). */
  get samplesPerSecond(): number {
    return this.seconds > 0 ? this.samples / this.seconds : 0;
  }
}
