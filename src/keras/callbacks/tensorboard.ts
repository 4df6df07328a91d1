import { InvalidArgumentError } from '../../core/errors.js';
import { join } from 'node:path';
import { createFileWriter, type SummaryWriter } from '../../summary/writer.js';
import type { RunMetadata } from '../../summary/run-log.js';
import { Callback, type Logs } from './base.js';

export interface TensorBoardArgs {
  /** Folder of the run (default `logs`); training goes to `<logDir>/train`, validation to `<logDir>/validation`. */
  logDir?: string;
  /** Every this many epochs, log a histogram of each weight (0, the default: never). */
  histogramFreq?: number;
  /** `'epoch'` (default): scalars once per epoch; `'batch'`: also each batch's figures; N: every N batches. */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Extra run metadata for the dashboard (hyper-parameters, dataset...). */
  metadata?: RunMetadata;
}

/**
 * Logs training to TensorBoard event files and nabla's run log, like
 * `keras.callbacks.TensorBoard`: `epoch_<metric>` scalars per epoch (validation figures, `val_*`,
 * go to the `validation` run under the same name), `batch_<metric>` scalars when `updateFreq` is
 * `'batch'` or N, and weight histograms every `histogramFreq` epochs. View with
 * `npx nabla dashboard --logdir logs` or `tensorboard --logdir logs`.
 *
 * @example
 * ```ts
 * await model.fit(x, y, {epochs: 5, validationSplit: 0.2,
 *   callbacks: [new nb.keras.callbacks.TensorBoard({logDir: 'runs/mnist', histogramFreq: 1})]});
 * ```
 */
export class TensorBoard extends Callback {
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly updateFreq: 'epoch' | number;
  private readonly metadata: RunMetadata;
  private train: SummaryWriter | null = null;
  private validation: SummaryWriter | null = null;
  private globalBatch = 0;

  constructor(args: TensorBoardArgs = {}) {
    super();
    const op = 'TensorBoard';
    this.logDir = args.logDir ?? 'logs';
    const h = args.histogramFreq ?? 0;
    if (!Number.isInteger(h) || h < 0) throw new InvalidArgumentError(`${op}: histogramFreq must be an integer >= 0 (0 turns histograms off), got ${String(h)}.`);
    this.histogramFreq = h;
    const u = args.updateFreq ?? 'epoch';
    if (u === 'batch') this.updateFreq = 1;
    else if (u === 'epoch' || (typeof u === 'number' && Number.isInteger(u) && u >= 1)) this.updateFreq = u;
    else throw new InvalidArgumentError(`${op}: updateFreq must be 'epoch', 'batch' or an integer >= 1, got ${JSON.stringify(u)}.`);
    this.metadata = args.metadata ?? {};
  }

  private runMetadata(split: string): RunMetadata {
    const hyper = { epochs: this.params.epochs, batchSize: this.params.batchSize, steps: this.params.steps, samples: this.params.samples };
    return { ...this.metadata, hyperParameters: { ...hyper, ...(this.metadata.hyperParameters ?? {}) }, split };
  }

  /** The train writer, and the validation one made on first use (runs without validation get none). */
  private writers(): { train: SummaryWriter; validation: () => SummaryWriter } {
    this.train ??= createFileWriter(join(this.logDir, 'train'), { metadata: this.runMetadata('train') });
    const validation = () => (this.validation ??= createFileWriter(join(this.logDir, 'validation'), { metadata: this.runMetadata('validation') }));
    return { train: this.train, validation };
  }

  override onTrainBegin(): void {
    this.globalBatch = 0;
    this.writers();
  }

  override onTrainBatchEnd(_batch: number, logs: Logs = {}): void {
    this.globalBatch++;
    if (this.updateFreq === 'epoch' || this.globalBatch % this.updateFreq !== 0) return;
    const { train } = this.writers();
    for (const [k, v] of Object.entries(logs)) if (typeof v === 'number') train.scalar(`batch_${k}`, v, this.globalBatch);
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const { train, validation } = this.writers();
    for (const [k, v] of Object.entries(logs)) {
      if (typeof v !== 'number') continue;
      if (k.startsWith('val_')) validation().scalar(`epoch_${k.slice(4)}`, v, epoch);
      else train.scalar(`epoch_${k}`, v, epoch);
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0 && this.model) {
      for (const w of this.model.weights) train.histogram(w.name, w.read(), epoch);
    }
    train.flush();
    this.validation?.flush();
  }

  override onTrainEnd(): void {
    this.train?.close();
    this.validation?.close();
    this.train = null;
    this.validation = null;
  }
}
