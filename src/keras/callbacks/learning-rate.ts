import { FailedPreconditionError, InvalidArgumentError } from '../../core/errors.js';
import { Callback, type Logs } from './base.js';
import { Monitor } from './monitor.js';

function optimizerOf(cb: Callback, owner: string) {
  const optimizer = cb.model.optimizer;
  if (!optimizer) throw new FailedPreconditionError(`${owner}: the model has no optimizer; compile it first.`);
  return optimizer;
}

function setLearningRate(cb: Callback, owner: string, lr: number): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr)) {
    throw new InvalidArgumentError(`${owner}: the learning rate must be a finite number, got ${String(lr)}.`);
  }
  optimizerOf(cb, owner).learningRate = lr;
}

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentLr)`.
 *
 * @example
 * ```ts
 * new nb.keras.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9));
 * ```
 */
export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: (epoch: number, lr: number) => number, readonly verbose = 0) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    const lr = this.schedule(epoch, optimizerOf(this, 'LearningRateScheduler').currentLearningRate());
    setLearningRate(this, 'LearningRateScheduler', lr);
    if (this.verbose > 0) process.stdout.write(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.\n`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs['lr'] = optimizerOf(this, 'LearningRateScheduler').currentLearningRate();
  }
}

export interface ReduceLROnPlateauArgs {
  monitor?: string;
  factor?: number;
  patience?: number;
  verbose?: number;
  mode?: 'auto' | 'min' | 'max';
  minDelta?: number;
  cooldown?: number;
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when the monitored figure has not improved for
 * `patience` epochs, like `keras.callbacks.ReduceLROnPlateau`.
 *
 * @example
 * ```ts
 * new nb.keras.callbacks.ReduceLROnPlateau({monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5});
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: Monitor;
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  private wait = 0;
  private cooldownCounter = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    this.factor = args.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) {
      throw new InvalidArgumentError(`ReduceLROnPlateau: factor must be in [0, 1), got ${this.factor}.`);
    }
    this.monitor = new Monitor(args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 1e-4, 'ReduceLROnPlateau');
    this.patience = args.patience ?? 10;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
    this.verbose = args.verbose ?? 0;
  }

  override onTrainBegin(): void {
    this.monitor.reset();
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const lr = optimizerOf(this, 'ReduceLROnPlateau').currentLearningRate();
    logs['lr'] = lr;
    const current = this.monitor.read(logs);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.monitor.better(current, this.monitor.best)) {
      this.monitor.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait >= this.patience && lr > this.minLr) {
      const next = Math.max(lr * this.factor, this.minLr);
      setLearningRate(this, 'ReduceLROnPlateau', next);
      if (this.verbose > 0) process.stdout.write(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.\n`);
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}
