// The Keras loss base class: per-sample `call`, reduced by `apply`.
import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import type { LossFn } from './functions.js';

/** 'categoricalCrossentropy' → 'categorical_crossentropy'. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * How `apply` reduces the per-sample losses: the weighted mean over all elements
 * ('sum_over_batch_size', Keras' default, also spelled 'auto'), their weighted 'sum', or 'none'
 * (the weighted per-sample losses).
 */
export type LossReduction = 'sum_over_batch_size' | 'auto' | 'sum' | 'none';

export interface LossOptions {
  /** Name used in configs and logs (default: the Keras snake_case name). */
  name?: string;
  reduction?: LossReduction;
}

/** Broadcasts sample weights against losses as Keras does ([batch] against [batch, ...]). */
function alignWeights(loss: string, losses: Tensor, w: Tensor): Tensor {
  let weights = w.dtype === 'float32' ? w : ops.cast(w, 'float32');
  // Drop trailing 1s the losses do not have ([batch, 1] weights against [batch] losses).
  while (weights.rank > losses.rank && weights.shape[weights.rank - 1] === 1) weights = ops.reshape(weights, weights.shape.slice(0, -1));
  if (weights.rank < losses.rank && weights.size !== 1) {
    weights = ops.reshape(weights, [...weights.shape, ...new Array<number>(losses.rank - weights.rank).fill(1)]);
  }
  const ok =
    weights.rank <= losses.rank &&
    weights.shape.every((d, i) => d === 1 || d === losses.shape[i + losses.rank - weights.rank]);
  if (!ok) {
    throw new ShapeError(
      `${loss}: sampleWeight has shape ${formatShape(w.shape)}, which does not broadcast to the per-sample losses ${formatShape(losses.shape)}; give one weight per sample (shape [batch]).`,
    );
  }
  return weights;
}

/**
 * Base class of Keras losses. `call` returns per-sample losses; `apply` reduces them to the
 * scalar training loss (weighted mean over all elements, Keras SUM_OVER_BATCH_SIZE).
 *
 * @example
 * ```ts
 * const loss = new nb.keras.losses.SparseCategoricalCrossentropy({fromLogits: true});
 * const value = loss.apply(labels, logits);   // scalar
 * ```
 */
export abstract class Loss {
  readonly name: string;
  readonly reduction: LossReduction;

  constructor(defaultName: string, options: LossOptions = {}) {
    this.name = options.name ?? defaultName;
    const reduction = options.reduction ?? 'auto';
    if (!['sum_over_batch_size', 'auto', 'sum', 'none'].includes(reduction)) {
      throw new InvalidArgumentError(
        `${this.name}: unknown reduction '${String(reduction)}'; expected 'auto', 'sum_over_batch_size', 'sum' or 'none'.`,
      );
    }
    this.reduction = reduction;
  }

  /** The Keras class name ('CategoricalCrossentropy', ...). */
  getClassName(): string {
    return (this.constructor as { className?: string }).className ?? this.constructor.name;
  }

  /** Per-sample losses, shape [batch] (the predictions' shape without its last axis). */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Weighted mean over all elements (Keras SUM_OVER_BATCH_SIZE); sampleWeight broadcast [batch]. Returns a scalar. */
  apply(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    let losses = this.call(yTrue, yPred);
    if (sampleWeight !== undefined) losses = ops.mul(losses, alignWeights(this.name, losses, sampleWeight));
    switch (this.reduction) {
      case 'none':
        return losses;
      case 'sum':
        return ops.sum(losses);
      default:
        return ops.mean(losses);
    }
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }
}

/** A loss class built from a per-sample loss function (Keras LossFunctionWrapper). */
export class LossFunctionWrapper extends Loss {
  static readonly className: string = 'LossFunctionWrapper';
  constructor(
    readonly fn: LossFn,
    options: LossOptions = {},
  ) {
    super(options.name ?? snakeCase(fn.name || 'loss'), options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }
}
