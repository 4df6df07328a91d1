import { Callback, type Logs } from './base.js';
import { Monitor, type MonitorMode } from './monitor.js';

export interface ModelCheckpointArgs {
  /** Target path; may hold `{epoch}` and log keys with a format, e.g. `ckpt-{epoch:02d}-{val_loss:.2f}.nabla`. */
  filepath: string;
  monitor?: string;
  verbose?: number;
  /** Only save when the monitored figure improved. */
  saveBestOnly?: boolean;
  /** Save weights only (`saveWeights`) instead of the whole model. */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
}

/** Fills `{epoch}`, `{epoch:02d}`, `{val_loss:.4f}` placeholders as Python's str.format would. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (whole, key: string, spec: string | undefined) => {
    const value = key === 'epoch' ? epoch : logs[key];
    if (value === undefined) return whole;
    if (spec) {
      const fixed = /^\.(\d+)f$/.exec(spec);
      if (fixed) return value.toFixed(Number(fixed[1]));
      const padded = /^0(\d+)d$/.exec(spec);
      if (padded) return String(Math.trunc(value)).padStart(Number(padded[1]), '0');
    }
    return String(value);
  });
}

/**
 * Saves the model (or its weights) after each epoch, or only when the monitored figure improved,
 * like `keras.callbacks.ModelCheckpoint`. Saves are atomic.
 *
 * @example
 * ```ts
 * const ckpt = new nb.keras.callbacks.ModelCheckpoint({filepath: 'best.nabla', monitor: 'val_accuracy', saveBestOnly: true});
 * ```
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: Monitor;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly verbose: number;
  /** Paths written, in order. */
  readonly saved: string[] = [];

  constructor(args: ModelCheckpointArgs) {
    super();
    this.filepath = args.filepath;
    this.monitor = new Monitor(args.monitor ?? 'val_loss', args.mode ?? 'auto', 0, 'ModelCheckpoint');
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.verbose = args.verbose ?? 0;
  }

  override onTrainBegin(): void {
    this.monitor.reset();
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const path = formatCheckpointPath(this.filepath, epoch + 1, logs);
    if (this.saveBestOnly) {
      const current = this.monitor.read(logs);
      if (current === undefined || !this.monitor.better(current, this.monitor.best)) return;
      if (this.verbose > 0) {
        process.stdout.write(`\nEpoch ${epoch + 1}: ${this.monitor.key} improved from ${this.monitor.best} to ${current}, saving model to ${path}\n`);
      }
      this.monitor.best = current;
    }
    if (this.saveWeightsOnly) await this.model.saveWeights(path);
    else await this.model.save(path);
    this.saved.push(path);
  }
}
