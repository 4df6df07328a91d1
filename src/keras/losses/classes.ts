// Keras loss classes (`nb.keras.losses.CategoricalCrossentropy`, ...).
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Loss, type LossOptions } from './base.js';
import * as fns from './functions.js';
import type { CrossentropyOptions } from './functions.js';

/** mean((yTrue − yPred)², -1). */
export class MeanSquaredError extends Loss {
  static readonly className: string = 'MeanSquaredError';
  constructor(options: LossOptions = {}) {
    super('mean_squared_error', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanSquaredError(yTrue, yPred);
  }
}

/** mean(|yTrue − yPred|, -1). */
export class MeanAbsoluteError extends Loss {
  static readonly className: string = 'MeanAbsoluteError';
  constructor(options: LossOptions = {}) {
    super('mean_absolute_error', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanAbsoluteError(yTrue, yPred);
  }
}

/** 100·mean(|(yTrue − yPred) / yTrue|, -1). */
export class MeanAbsolutePercentageError extends Loss {
  static readonly className: string = 'MeanAbsolutePercentageError';
  constructor(options: LossOptions = {}) {
    super('mean_absolute_percentage_error', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanAbsolutePercentageError(yTrue, yPred);
  }
}

/** mean((log(ŷ + 1) − log(y + 1))², -1). */
export class MeanSquaredLogarithmicError extends Loss {
  static readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(options: LossOptions = {}) {
    super('mean_squared_logarithmic_error', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanSquaredLogarithmicError(yTrue, yPred);
  }
}

/** mean(max(1 − y·ŷ, 0), -1) for labels in {−1, 1} (or {0, 1}). */
export class Hinge extends Loss {
  static readonly className: string = 'Hinge';
  constructor(options: LossOptions = {}) {
    super('hinge', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.hinge(yTrue, yPred);
  }
}

/** mean(max(1 − y·ŷ, 0)², -1) for labels in {−1, 1} (or {0, 1}). */
export class SquaredHinge extends Loss {
  static readonly className: string = 'SquaredHinge';
  constructor(options: LossOptions = {}) {
    super('squared_hinge', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.squaredHinge(yTrue, yPred);
  }
}

/** max(0, max((1 − y)·ŷ) − Σ y·ŷ + 1) for one-hot labels. */
export class CategoricalHinge extends Loss {
  static readonly className: string = 'CategoricalHinge';
  constructor(options: LossOptions = {}) {
    super('categorical_hinge', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.categoricalHinge(yTrue, yPred);
  }
}

/** Σ y·log(y / ŷ) over the last axis. */
export class KLDivergence extends Loss {
  static readonly className: string = 'KLDivergence';
  constructor(options: LossOptions = {}) {
    super('kl_divergence', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.kullbackLeiblerDivergence(yTrue, yPred);
  }
}

/** mean(ŷ − y·log(ŷ + ε), -1). */
export class Poisson extends Loss {
  static readonly className: string = 'Poisson';
  constructor(options: LossOptions = {}) {
    super('poisson', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.poisson(yTrue, yPred);
  }
}

/** mean(log(cosh(ŷ − y)), -1). */
export class LogCosh extends Loss {
  static readonly className: string = 'LogCosh';
  constructor(options: LossOptions = {}) {
    super('log_cosh', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.logCosh(yTrue, yPred);
  }
}

/** −(cosine similarity) over the last axis. */
export class CosineSimilarity extends Loss {
  static readonly className: string = 'CosineSimilarity';
  constructor(options: LossOptions = {}) {
    super('cosine_similarity', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.cosineSimilarity(yTrue, yPred);
  }
}

/** Huber loss with threshold `delta` (default 1). */
export class Huber extends Loss {
  static readonly className = 'Huber';
  readonly delta: number;
  constructor(options: LossOptions & { delta?: number } = {}) {
    super('huber_loss', options);
    this.delta = options.delta ?? 1;
    if (!(this.delta > 0)) throw new InvalidArgumentError(`Huber: delta must be > 0, got ${this.delta}.`);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.huber(yTrue, yPred, this.delta);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

abstract class CrossentropyLoss extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(name: string, options: LossOptions & CrossentropyOptions) {
    super(name, options);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new InvalidArgumentError(`${this.name}: labelSmoothing must be in [0, 1], got ${this.labelSmoothing}.`);
    }
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/** Binary crossentropy for 0/1 labels (probabilities, or logits with `fromLogits`). */
export class BinaryCrossentropy extends CrossentropyLoss {
  static readonly className = 'BinaryCrossentropy';
  constructor(options: LossOptions & CrossentropyOptions = {}) {
    super('binary_crossentropy', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
}

/** Categorical crossentropy for one-hot labels. */
export class CategoricalCrossentropy extends CrossentropyLoss {
  static readonly className = 'CategoricalCrossentropy';
  constructor(options: LossOptions & CrossentropyOptions = {}) {
    super('categorical_crossentropy', options);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
}

/** Categorical crossentropy for integer class labels. */
export class SparseCategoricalCrossentropy extends Loss {
  static readonly className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor(options: LossOptions & { fromLogits?: boolean } = {}) {
    super('sparse_categorical_crossentropy', options);
    this.fromLogits = options.fromLogits ?? false;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}
