import { isDType, type DType } from '../core/dtype.js';
import { DTypeError } from '../core/errors.js';
import { Variable } from '../core/variable.js';
import { toTensor, type TensorLike } from './creation.js';

export interface VariableOptions {
  /** Whether optimizers and gradient tapes treat it as a parameter (default true). */
  trainable?: boolean;
  /** Base name, made unique (`w`, `w_1`, ...); default 'Variable'. */
  name?: string;
  /** Converts the initial value to this dtype (default: the initial value's dtype). */
  dtype?: DType;
}

/**
 * Creates a mutable, optionally trainable tensor (model weights, optimizer state).
 *
 * @example
 * ```ts
 * const w = nb.variable(nb.randomNormal([3, 2]), {name: 'w'});
 * const step = nb.variable(0, {trainable: false, dtype: 'int32'});
 * w.assignSub(nb.mul(grad, 0.1));
 * ```
 */
export function variable(initialValue: TensorLike, options: VariableOptions = {}): Variable {
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new DTypeError(`variable: unknown dtype '${String(options.dtype)}'; expected 'float32', 'int32' or 'bool'.`);
  }
  return new Variable(toTensor(initialValue, 'variable', 'initialValue', options.dtype), options);
}
