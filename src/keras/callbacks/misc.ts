import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { Callback, type Logs } from './base.js';

export interface CSVLoggerArgs {
  separator?: string;
  /** Append to an existing file instead of overwriting it. */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch (`epoch,loss,accuracy,...`), like `keras.callbacks.CSVLogger`.
 *
 * @example
 * ```ts
 * new nb.keras.callbacks.CSVLogger('training.csv');
 * ```
 */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private hasHeader = false;

  constructor(readonly filename: string, args: CSVLoggerArgs = {}) {
    super();
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override onTrainBegin(): void {
    this.keys = null;
    this.hasHeader = this.append && existsSync(this.filename) && statSync(this.filename).size > 0;
    if (!this.hasHeader) writeFileSync(this.filename, '');
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const sep = this.separator;
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (!this.hasHeader) appendFileSync(this.filename, ['epoch', ...this.keys].join(sep) + '\n');
    }
    const row = [String(epoch), ...this.keys.map((k) => (k in logs ? String(logs[k]) : ''))];
    appendFileSync(this.filename, row.join(sep) + '\n');
  }
}

/** Stops training as soon as a batch loss is NaN or infinite. */
export class TerminateOnNaN extends Callback {
  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs['loss'];
    if (loss !== undefined && !Number.isFinite(loss)) {
      process.stdout.write(`Batch ${batch}: Invalid loss, terminating training\n`);
      this.model.stopTraining = true;
    }
  }
}

type Hooks = Partial<Pick<Callback,
  | 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd'
  | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd'>>;

/**
 * A callback from plain functions, like `keras.callbacks.LambdaCallback`.
 *
 * @example
 * ```ts
 * new nb.keras.callbacks.LambdaCallback({onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss)});
 * ```
 */
export class LambdaCallback extends Callback {
  constructor(hooks: Hooks) {
    super();
    for (const [name, fn] of Object.entries(hooks)) {
      if (typeof fn === 'function') (this as unknown as Record<string, unknown>)[name] = fn;
    }
  }
}
