import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { EventFileWriter } from './event-file.js';
import type { SummaryValue } from './event.js';
import { computeHistogram } from './histogram.js';
import { RunLogWriter, type RunMetadata } from './run-log.js';
import { checkName, checkOpen, checkStep, imageValues, numericValues, scalarValue } from './validate.js';

/** Which files a writer produces: TensorBoard event files, nabla's run log, or both (default). */
export type SummaryFormat = 'tensorboard' | 'runlog';

export interface FileWriterOptions {
  /** Default `['tensorboard', 'runlog']`. */
  formats?: readonly SummaryFormat[];
  /** Run metadata for `run.json` (command, hyper-parameters, backend, dataset). */
  metadata?: RunMetadata;
  /** Appended to the event file name (like `filename_suffix` in TensorFlow). */
  filenameSuffix?: string;
}

export interface ImageOptions {
  /** At most this many images of a batch are written (default 3, as in tf.summary.image). */
  maxOutputs?: number;
}

export interface HistogramOptions {
  /** Number of equal-width buckets (default 30, as in tf.summary.histogram). */
  buckets?: number;
}

let current: SummaryWriter | null = null;

/** The writer the free functions (`nb.summary.scalar`...) write to, or null. */
export function getDefaultWriter(): SummaryWriter | null {
  return current;
}

/**
 * Writes summaries of one run to `logdir`, like `tf.summary.create_file_writer`. Create it with
 * {@link createFileWriter}.
 *
 * @example
 * ```ts
 * const writer = nb.summary.createFileWriter('runs/exp1');
 * for (let step = 0; step < 100; step++) writer.scalar('loss', 1 / (step + 1), step);
 * writer.close();
 * ```
 */
export class SummaryWriter {
  private readonly events: EventFileWriter | null;
  private readonly runLog: RunLogWriter | null;
  private closed = false;

  constructor(readonly logdir: string, options: FileWriterOptions = {}) {
    const formats = options.formats ?? ['tensorboard', 'runlog'];
    for (const f of formats) {
      if (f !== 'tensorboard' && f !== 'runlog') {
        throw new InvalidArgumentError(`nb.summary.createFileWriter: formats must hold 'tensorboard' and/or 'runlog', got '${String(f)}'.`);
      }
    }
    if (typeof logdir !== 'string' || logdir === '') {
      throw new InvalidArgumentError(`nb.summary.createFileWriter: logdir must be a non-empty directory path such as 'runs/exp1', got ${JSON.stringify(logdir)}.`);
    }
    this.events = formats.includes('tensorboard') ? new EventFileWriter(logdir, options.filenameSuffix) : null;
    this.runLog = formats.includes('runlog') ? new RunLogWriter(logdir, options.metadata) : null;
  }

  /** Path of the TensorBoard event file (null when that format is off). */
  get eventFile(): string | null {
    return this.events?.path ?? null;
  }

  private write(op: string, step: number, values: SummaryValue[]): void {
    checkOpen(op, this.closed, this.logdir);
    checkStep(op, step);
    const wallTime = Date.now() / 1000;
    this.events?.write(step, values, wallTime);
    this.runLog?.write(step, values, wallTime);
  }

  /** Logs a scalar (a number or a one-element tensor). */
  scalar(name: string, value: number | Tensor, step: number): void {
    const op = 'nb.summary.scalar';
    this.write(op, step, [{ tag: checkName(op, name), kind: 'scalar', value: scalarValue(op, value) }]);
  }

  /**
   * Logs images: [h, w], [h, w, c] or a batch [k, h, w, c] (1-4 channels); float32 in [0, 1] or
   * int32 in [0, 255]. PNG-encoded.
   */
  image(name: string, images: Tensor, step: number, options: ImageOptions = {}): void {
    const op = 'nb.summary.image';
    this.write(op, step, imageValues(op, checkName(op, name), images, options.maxOutputs ?? 3));
  }

  /** Logs the distribution of a tensor's values as a histogram. */
  histogram(name: string, values: Tensor | ArrayLike<number>, step: number, options: HistogramOptions = {}): void {
    const op = 'nb.summary.histogram';
    const buckets = options.buckets ?? 30;
    if (!Number.isInteger(buckets) || buckets < 1) throw new InvalidArgumentError(`${op}: buckets must be an integer >= 1, got ${buckets}.`);
    this.write(op, step, [{ tag: checkName(op, name), kind: 'histogram', histogram: computeHistogram(numericValues(op, values), buckets) }]);
  }

  /** Logs a text (shown by TensorBoard's Text tab and the nabla dashboard). */
  text(name: string, data: string, step: number): void {
    const op = 'nb.summary.text';
    if (typeof data !== 'string') throw new InvalidArgumentError(`${op}: expected a string, got ${data === null ? 'null' : typeof data}.`);
    this.write(op, step, [{ tag: checkName(op, name), kind: 'text', text: data }]);
  }

  /** Merges `metadata` into the run's `run.json` (no-op without the run-log format). */
  setMetadata(metadata: RunMetadata): void {
    checkOpen('SummaryWriter.setMetadata', this.closed, this.logdir);
    this.runLog?.setMetadata(metadata);
  }

  /**
   * Makes this the default writer of `nb.summary.scalar` etc. With `fn`: only while `fn` runs
   * (awaited when it returns a promise), then the previous default comes back. Without: for good.
   */
  asDefault(): void;
  asDefault<T>(fn: () => T): T;
  asDefault<T>(fn?: () => T): T | void {
    if (!fn) {
      current = this;
      return;
    }
    const previous = current;
    current = this;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      current = previous;
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => {
        current = previous;
      }) as T;
    }
    current = previous;
    return result;
  }

  /** Forces written records to disk (records are written unbuffered; this also fsyncs). */
  flush(): void {
    if (this.closed) return;
    this.events?.flush();
    this.runLog?.flush();
  }

  /** Closes the files; later writes raise FailedPreconditionError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events?.close();
    this.runLog?.close();
    if (current === this) current = null;
  }
}

/**
 * Creates a summary writer for `logdir` (created if missing), like
 * `tf.summary.create_file_writer`. It writes a TensorBoard event file and nabla's run log.
 *
 * @example
 * ```ts
 * const writer = nb.summary.createFileWriter('runs/mnist');
 * writer.asDefault(() => nb.summary.scalar('loss', 0.25, 1));
 * ```
 */
export function createFileWriter(logdir: string, options: FileWriterOptions = {}): SummaryWriter {
  return new SummaryWriter(logdir, options);
}
