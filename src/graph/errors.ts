import { FailedPreconditionError, InvalidArgumentError } from '../core/errors.js';

/** A tensor or op of one graph was used with another graph or its Session. */
export class GraphMismatchError extends InvalidArgumentError {}

/** A placeholder needed by a fetch was not fed. */
export class MissingFeedError extends InvalidArgumentError {}

/** A variable was read before its initializer ran in this Session. */
export class UninitializedVariableError extends FailedPreconditionError {}
