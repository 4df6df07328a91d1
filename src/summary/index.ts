/**
 * `nb.summary` (like `tf.summary`): log scalars, images, histograms and text to TensorBoard event
 * files and to nabla's run log, viewed live with `nabla dashboard`. Formats: docs/FORMATS.md.
 *
 * @example
 * ```ts
 * const writer = nb.summary.createFileWriter('runs/exp1');
 * writer.asDefault();
 * nb.summary.scalar('loss', 0.5, 0);
 * nb.summary.image('sample', nb.zeros([28, 28, 1]), 0);
 * writer.close();
 * ```
 */
import type { Tensor } from '../core/tensor.js';
import { getDefaultWriter, type HistogramOptions, type ImageOptions } from './writer.js';

export { SummaryWriter, createFileWriter, getDefaultWriter, type FileWriterOptions, type SummaryFormat, type ImageOptions, type HistogramOptions } from './writer.js';
export { SUMMARIES_FILE, RUN_FILE, type RunMetadata, type RunLogRecord } from './run-log.js';
export { computeHistogram, type HistogramData } from './histogram.js';
export { crc32c, maskedCrc32c } from './crc32c.js';

/**
 * Logs a scalar to the default writer (see `SummaryWriter.asDefault`). Returns false, writing
 * nothing, when there is no default writer (as `tf.summary.scalar` does).
 *
 * @example
 * ```ts
 * nb.summary.createFileWriter('runs/a').asDefault(() => nb.summary.scalar('loss', 0.3, 7));
 * ```
 */
export function scalar(name: string, value: number | Tensor, step: number): boolean {
  const w = getDefaultWriter();
  if (!w) return false;
  w.scalar(name, value, step);
  return true;
}

/** Logs images to the default writer; false when there is none. See `SummaryWriter.image`. */
export function image(name: string, images: Tensor, step: number, options?: ImageOptions): boolean {
  const w = getDefaultWriter();
  if (!w) return false;
  w.image(name, images, step, options);
  return true;
}

/** Logs a histogram to the default writer; false when there is none. See `SummaryWriter.histogram`. */
export function histogram(name: string, values: Tensor | ArrayLike<number>, step: number, options?: HistogramOptions): boolean {
  const w = getDefaultWriter();
  if (!w) return false;
  w.histogram(name, values, step, options);
  return true;
}

/** Logs text to the default writer; false when there is none. */
export function text(name: string, data: string, step: number): boolean {
  const w = getDefaultWriter();
  if (!w) return false;
  w.text(name, data, step);
  return true;
}

/** Forces the default writer's records to disk. */
export function flush(): void {
  getDefaultWriter()?.flush();
}
