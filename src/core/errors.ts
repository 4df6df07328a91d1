/**
 * Typed errors raised by nabla. Every message names the op or layer, the expected and the
 * actual value, and what to do about it.
 *
 * @example
 * ```ts
 * try { nb.matMul(a, b); } catch (e) { if (e instanceof nb.ShapeError) console.error(e.message); }
 * ```
 */
export class NablaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor has a shape the op cannot accept (incompatible dims, wrong rank, wrong size). */
export class ShapeError extends NablaError {}

/** A tensor has a dtype the op cannot accept, or two dtypes that TensorFlow would not mix. */
export class DTypeError extends NablaError {}

/** An argument (axis, stride, option, value) is out of range or of the wrong kind. */
export class InvalidArgumentError extends NablaError {}

/** A file, dataset, model or named object could not be found. */
export class NotFoundError extends NablaError {}

/** A computation cannot proceed in the current state (e.g. stepping a finished episode). */
export class FailedPreconditionError extends NablaError {}
