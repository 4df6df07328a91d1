// Schedules for ε, learning rates and temperatures: a constant or a function of the step count.
import { InvalidArgumentError } from '../core/errors.js';

/** A constant, or a function of the count (episode or step) starting at 0. */
export type Schedule = number | ((t: number) => number);

/** The value of a schedule at `t`. */
export function scheduleValue(s: Schedule, t: number): number {
  return typeof s === 'number' ? s : s(t);
}

/**
 * From `start` to `end` linearly over `duration` counts, then `end`.
 *
 * @example
 * ```ts
 * const eps = nb.rl.linearSchedule(1, 0.05, 10000);
 * eps(5000); // 0.525
 * ```
 */
export function linearSchedule(start: number, end: number, duration: number): (t: number) => number {
  if (!(duration > 0)) throw new InvalidArgumentError(`linearSchedule: duration must be > 0, got ${duration}.`);
  return (t) => (t >= duration ? end : start + ((end - start) * t) / duration);
}

/**
 * `max(end, start * decay^t)`.
 *
 * @example
 * ```ts
 * const eps = nb.rl.exponentialSchedule(1, 0.01, 0.999);
 * ```
 */
export function exponentialSchedule(start: number, end: number, decay: number): (t: number) => number {
  if (!(decay > 0 && decay <= 1)) throw new InvalidArgumentError(`exponentialSchedule: decay must be in (0, 1], got ${decay}.`);
  return (t) => Math.max(end, start * decay ** t);
}
