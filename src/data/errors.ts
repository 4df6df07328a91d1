import { NablaError } from '../core/errors.js';

/**
 * A user function inside a pipeline (`map`, `filter`, a generator) threw. The message names the
 * transformation and the element index; the original error is kept as `cause`.
 *
 * @example
 * ```ts
 * try { await ds.map(f).toArray(); } catch (e) {
 *   if (e instanceof nb.data.DatasetError) console.error(e.elementIndex, e.cause);
 * }
 * ```
 */
export class DatasetError extends NablaError {
  constructor(
    message: string,
    /** Index (0-based, within the iteration) of the element being processed. */
    readonly elementIndex: number,
    /** The error the user function threw. */
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** Wraps an error thrown by the user function of `op` on element `index`. */
export function wrapUserError(op: string, index: number, err: unknown): DatasetError {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new DatasetError(`${op}: the function threw on element ${index}: ${msg}. Fix the function or filter that element out first; the original error is in .cause.`, index, err);
}
