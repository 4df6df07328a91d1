// Element-wise merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum.
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import type { LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import { ElementwiseMerge } from './base.js';

/**
 * Sums a list of inputs of the same shape.
 *
 * @example
 * ```ts
 * nb.keras.layers.add().apply([nb.ones([2, 3]), nb.ones([2, 3])]); // all 2s
 * ```
 */
export class Add extends ElementwiseMerge {
  static override readonly className = 'Add';
  protected mergeFunction(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => ops.add(a, b));
  }
  static fromConfig(config: Record<string, unknown>): Add {
    return new Add(config as LayerArgs);
  }
}
registerLayer(Add);

/**
 * Creates an Add layer.
 *
 * @example
 * ```ts
 * const sum = nb.keras.layers.add().apply([a, b]); // residual connection
 * ```
 */
export function add(args: LayerArgs = {}): Add {
  return new Add(args);
}

/**
 * Subtracts the second of exactly two inputs from the first.
 *
 * @example
 * ```ts
 * nb.keras.layers.subtract().apply([nb.ones([2, 3]), nb.ones([2, 3])]); // all 0s
 * ```
 */
export class Subtract extends ElementwiseMerge {
  static override readonly className = 'Subtract';
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = 2;
  protected mergeFunction([a, b]: Tensor[]): Tensor {
    return ops.sub(a!, b!);
  }
  static fromConfig(config: Record<string, unknown>): Subtract {
    return new Subtract(config as LayerArgs);
  }
}
registerLayer(Subtract);

/**
 * Creates a Subtract layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.subtract().apply([a, b]); // a − b
 * ```
 */
export function subtract(args: LayerArgs = {}): Subtract {
  return new Subtract(args);
}

/**
 * Multiplies a list of inputs of the same shape element-wise.
 *
 * @example
 * ```ts
 * nb.keras.layers.multiply().apply([x, gate]);
 * ```
 */
export class Multiply extends ElementwiseMerge {
  static override readonly className = 'Multiply';
  protected mergeFunction(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => ops.mul(a, b));
  }
  static fromConfig(config: Record<string, unknown>): Multiply {
    return new Multiply(config as LayerArgs);
  }
}
registerLayer(Multiply);

/**
 * Creates a Multiply layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.multiply().apply([a, b, c]); // a · b · c
 * ```
 */
export function multiply(args: LayerArgs = {}): Multiply {
  return new Multiply(args);
}

/**
 * Averages a list of inputs of the same shape element-wise.
 *
 * @example
 * ```ts
 * nb.keras.layers.average().apply([nb.zeros([1, 2]), nb.ones([1, 2])]); // all 0.5
 * ```
 */
export class Average extends ElementwiseMerge {
  static override readonly className = 'Average';
  protected mergeFunction(xs: Tensor[]): Tensor {
    const total = xs.reduce((a, b) => ops.add(a, b));
    return xs.length === 1 ? total : ops.div(total, xs.length);
  }
  static fromConfig(config: Record<string, unknown>): Average {
    return new Average(config as LayerArgs);
  }
}
registerLayer(Average);

/**
 * Creates an Average layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.average().apply([model1Output, model2Output]); // ensemble
 * ```
 */
export function average(args: LayerArgs = {}): Average {
  return new Average(args);
}

/**
 * Element-wise maximum of a list of inputs of the same shape.
 *
 * @example
 * ```ts
 * nb.keras.layers.maximum().apply([nb.tensor([[1, 5]]), nb.tensor([[3, 2]])]); // [[3, 5]]
 * ```
 */
export class Maximum extends ElementwiseMerge {
  static override readonly className = 'Maximum';
  protected mergeFunction(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => ops.maximum(a, b));
  }
  static fromConfig(config: Record<string, unknown>): Maximum {
    return new Maximum(config as LayerArgs);
  }
}
registerLayer(Maximum);

/**
 * Creates a Maximum layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.maximum().apply([a, b]);
 * ```
 */
export function maximum(args: LayerArgs = {}): Maximum {
  return new Maximum(args);
}

/**
 * Element-wise minimum of a list of inputs of the same shape.
 *
 * @example
 * ```ts
 * nb.keras.layers.minimum().apply([nb.tensor([[1, 5]]), nb.tensor([[3, 2]])]); // [[1, 2]]
 * ```
 */
export class Minimum extends ElementwiseMerge {
  static override readonly className = 'Minimum';
  protected mergeFunction(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => ops.minimum(a, b));
  }
  static fromConfig(config: Record<string, unknown>): Minimum {
    return new Minimum(config as LayerArgs);
  }
}
registerLayer(Minimum);

/**
 * Creates a Minimum layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.minimum().apply([a, b]);
 * ```
 */
export function minimum(args: LayerArgs = {}): Minimum {
  return new Minimum(args);
}
