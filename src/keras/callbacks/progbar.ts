import { Callback, type Logs } from './base.js';

/** Formats seconds as Keras does: `6s`, `120ms`, `35us` (per step) */
function formatDuration(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms`;
  return `${Math.round(seconds * 1e6)}us`;
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}

/** `- loss: 0.3512 - accuracy: 0.8741` */
export function formatLogs(logs: Logs, keys?: readonly string[]): string {
  return (keys ?? Object.keys(logs))
    .filter((k) => k in logs)
    .map((k) => ` - ${k}: ${formatValue(logs[k]!)}`)
    .join('');
}

/** `469/469 [==============================]` */
export function formatBar(done: number, total: number, width = 30): string {
  const digits = String(total).length;
  const filled = total > 0 ? Math.floor((width * done) / total) : width;
  let bar = '='.repeat(Math.max(0, filled - (done < total ? 1 : 0)));
  if (done < total) bar += '>';
  return `${String(done).padStart(digits)}/${total} [${bar.padEnd(width, '.')}]`;
}

export interface ProgbarOptions {
  /** Where lines go (default process.stdout). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Prints training progress like Keras: on a terminal a live bar per epoch,
 * `469/469 [==============================] - 6s 12ms/step - loss: 0.3512 - accuracy: 0.8741`;
 * elsewhere (logs, CI) one such line per epoch. `fit` adds it when `verbose` is 1 (2 forces the
 * one-line-per-epoch form).
 */
export class ProgbarLogger extends Callback {
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private epochStart = 0;
  private lastDraw = 0;
  private seen = 0;
  private batchLogs: Logs = {};

  constructor(options: ProgbarOptions = {}) {
    super();
    this.stream = options.stream ?? process.stdout;
  }

  private get live(): boolean {
    return this.params.verbose === 1 && Boolean(this.stream.isTTY);
  }

  override onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.lastDraw = 0;
    this.seen = 0;
    this.batchLogs = {};
    if (this.params.verbose > 0) {
      this.stream.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    }
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    this.batchLogs = logs;
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && this.seen !== this.params.steps) return;
    this.lastDraw = now;
    this.stream.write(`\r${this.line(logs, false)}`);
  }

  private line(logs: Logs, final: boolean): string {
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const total = this.params.steps;
    const perStep = this.seen > 0 ? elapsed / this.seen : 0;
    const timing = final || total === null
      ? ` - ${formatDuration(elapsed)} ${formatDuration(perStep)}/step`
      : ` - ETA: ${formatDuration(perStep * Math.max(0, total - this.seen))}`;
    // A dataset of unknown size: Keras shows the count without a bar until the first epoch ends.
    const progress = total === null ? `${String(this.seen).padStart(7)}/Unknown` : formatBar(this.seen, total);
    return `${progress}${timing}${formatLogs(logs)}`;
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    if (this.params.verbose === 0) return;
    const merged = { ...this.batchLogs, ...logs };
    this.stream.write(`${this.live ? '\r' : ''}${this.line(merged, true)}\n`);
  }
}
