import type { Tensor } from '../../core/tensor.js';
import { Callback, type Logs } from './base.js';
import { Monitor, type MonitorMode } from './monitor.js';

export interface EarlyStoppingArgs {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  /** Stop if the figure has not beaten this value after `patience` epochs. */
  baseline?: number;
  /** At the end, put back the weights of the best epoch. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (warm-up). */
  startFromEpoch?: number;
}

/**
 * Stops training when a monitored figure stops improving, like `keras.callbacks.EarlyStopping`.
 *
 * @example
 * ```ts
 * const stop = new nb.keras.callbacks.EarlyStopping({monitor: 'val_loss', patience: 3, restoreBestWeights: true});
 * await model.fit(x, y, {epochs: 100, validationSplit: 0.1, callbacks: [stop]});
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = new Monitor(args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 0, 'EarlyStopping');
    this.patience = args.patience ?? 0;
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
    this.verbose = args.verbose ?? 0;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.bestWeights = null;
    this.monitor.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = this.monitor.read(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = this.model.getWeights();
    this.wait += 1;
    if (this.monitor.better(current, this.monitor.best)) {
      this.monitor.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model.getWeights();
      if (this.baseline === undefined || this.monitor.better(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights !== null) {
        if (this.verbose > 0) process.stdout.write(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.\n`);
        this.model.setWeights(this.bestWeights);
      }
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      process.stdout.write(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    }
  }
}
