import { DatasetError } from '../errors.js';

/**
 * A text folder cannot be read as a dataset (missing folder, a class without texts, an empty
 * file). The message names the path and the fix; `path` holds it.
 *
 * @example
 * ```ts
 * try { nb.data.textDatasetFromDirectory('texts/'); } catch (e) {
 *   if (e instanceof nb.data.TextDatasetError) console.error(e.path, e.message);
 * }
 * ```
 */
export class TextDatasetError extends DatasetError {
  constructor(
    message: string,
    /** The folder or file at fault. */
    readonly path: string,
  ) {
    super(message, -1, undefined);
  }
}
