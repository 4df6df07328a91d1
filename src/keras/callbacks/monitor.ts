import { InvalidArgumentError } from '../../core/errors.js';
import type { Logs } from './base.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * Tracks the best value of a logged figure: 'min' for losses and errors, 'max' for accuracies
 * (what 'auto' picks from the name, as Keras does).
 */
export class Monitor {
  readonly better: (current: number, best: number) => boolean;
  best: number;

  constructor(readonly key: string, mode: MonitorMode, minDelta: number, readonly owner: string) {
    if (!['auto', 'min', 'max'].includes(mode)) {
      throw new InvalidArgumentError(`${owner}: mode must be 'auto', 'min' or 'max', got '${String(mode)}'.`);
    }
    const maximize = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall|^fmeasure/.test(key));
    const delta = Math.abs(minDelta);
    this.better = maximize ? (c, b) => c - delta > b : (c, b) => c + delta < b;
    this.initial = maximize ? -Infinity : Infinity;
    this.best = this.initial;
  }

  private readonly initial: number;

  /** Forgets the best value (at the start of a new fit). */
  reset(): void {
    this.best = this.initial;
  }

  /** The monitored value in `logs`, or undefined (with a one-time warning listing what exists). */
  read(logs: Logs): number | undefined {
    const value = logs[this.key];
    if (value === undefined && !this.warned) {
      this.warned = true;
      process.emitWarning(
        `${this.owner}: the monitored figure '${this.key}' is not in the logs (available: ${Object.keys(logs).join(', ')}); it is skipped.`,
      );
    }
    return value;
  }

  private warned = false;
}
