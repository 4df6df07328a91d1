import { Callback, type Logs } from './base.js';

/**
 * Records every epoch's logs; `fit` returns it. `history.history.loss[i]` is epoch i's loss.
 *
 * @example
 * ```ts
 * const h = await model.fit(x, y, {epochs: 5});
 * console.log(h.history.loss);
 * ```
 */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
