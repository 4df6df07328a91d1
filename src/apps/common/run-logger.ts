import { join } from 'node:path';
import * as nb from '../../index.js';

/** Where an app's run logs go inside its output folder (`nabla dashboard --logdir OUT` shows them). */
export function logsDir(outDir: string): string {
  return join(outDir, 'logs');
}

/**
 * The Keras TensorBoard callback the `fit`-based apps log through: per-batch loss and metrics every
 * 10 steps (so the dashboard's curves move during an epoch), epoch figures, train and validation
 * runs under `OUT/logs`, in both TensorBoard event files and nabla's run log.
 *
 * @example
 * ```ts
 * await model.fit(x, y, {epochs: 1, callbacks: [runLogger('runs/mnist-1', {dataset: 'mnist'})]});
 * ```
 */
export function runLogger(outDir: string, metadata: nb.summary.RunMetadata): nb.keras.callbacks.TensorBoard {
  return new nb.keras.callbacks.TensorBoard({ logDir: logsDir(outDir), updateFreq: 10, metadata });
}

/**
 * A summary writer for the apps with their own training loops (GANs, style transfer, RL): one run
 * at `OUT/logs`, with the run's metadata for the dashboard.
 *
 * @example
 * ```ts
 * const w = appWriter('runs/dcgan-1', {dataset: 'fashion-mnist'});
 * w.scalar('g_loss', 0.7, 1);
 * w.close();
 * ```
 */
export function appWriter(outDir: string, metadata: nb.summary.RunMetadata): nb.summary.SummaryWriter {
  return nb.summary.createFileWriter(logsDir(outDir), { metadata });
}
