// Error metrics (plain loops) and running means of the Keras loss functions.
import { InvalidArgumentError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import { withoutRecording } from '../../ops/engine.js';
import * as losses from '../losses/functions.js';
import { Mean, MeanMetricWrapper, type MetricFn } from './base.js';
import { pairShape } from './functions.js';

/** Per sample: mean over the last axis of f(yTrue, yPred) element-wise. */
function rowMean(metric: string, f: (t: number, p: number) => number): MetricFn {
  return (yTrue: Tensor, yPred: Tensor) => {
    const shape = pairShape(metric, yTrue, yPred);
    const t = yTrue.values;
    const p = yPred.values;
    const last = shape.length === 0 ? 1 : shape[shape.length - 1]!;
    const rows = last === 0 ? 0 : p.length / last;
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * last, end = j + last; j < end; j++) s += f(t[j]!, p[j]!);
      out[r] = s / last;
    }
    return new Tensor(shape.slice(0, -1), 'float32', out);
  };
}

/** Per-sample mean squared error (plain loop). */
export const meanSquaredErrorValues = rowMean('mean_squared_error', (t, p) => (t - p) * (t - p));
/** Per-sample mean absolute error (plain loop). */
export const meanAbsoluteErrorValues = rowMean('mean_absolute_error', (t, p) => Math.abs(t - p));

/** Running mean of the per-sample mean squared error. */
export class MeanSquaredError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanSquaredError';
  constructor(args: { name?: string } = {}) {
    super(meanSquaredErrorValues, { name: args.name ?? 'mean_squared_error' });
  }
}

/** Running mean of the per-sample mean absolute error. */
export class MeanAbsoluteError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(args: { name?: string } = {}) {
    super(meanAbsoluteErrorValues, { name: args.name ?? 'mean_absolute_error' });
  }
}

/** sqrt of the weighted mean of the element-wise squared errors (Keras RootMeanSquaredError). */
export class RootMeanSquaredError extends Mean {
  static override readonly className: string = 'RootMeanSquaredError';
  constructor(args: { name?: string } = {}) {
    super({ name: args.name ?? 'root_mean_squared_error' });
  }
  override updateState(yTrue: Tensor | number | readonly number[], yPred?: Tensor, sampleWeight?: Tensor): void {
    if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
      throw new InvalidArgumentError(`${this.name}.updateState: expected (yTrue, yPred[, sampleWeight]) tensors.`);
    }
    const shape = pairShape(this.name, yTrue, yPred);
    const t = yTrue.values;
    const p = yPred.values;
    const sq = new Float64Array(p.length);
    for (let i = 0; i < sq.length; i++) sq[i] = (t[i]! - p[i]!) * (t[i]! - p[i]!);
    this.accumulate(sq, shape, sampleWeight);
  }
  override result(): number {
    return Math.sqrt(super.result());
  }
}

/** A per-sample function run through ops without recording (for the loss-named metrics). */
function viaOps(fn: MetricFn): MetricFn {
  return (yTrue, yPred) => withoutRecording(() => fn(yTrue, yPred));
}

const positiveCosine: MetricFn = (t, p) => ops.neg(losses.cosineSimilarity(t, p));

/** Running mean of the mean absolute percentage error. */
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanAbsolutePercentageError';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.meanAbsolutePercentageError), { name: args.name ?? 'mean_absolute_percentage_error' });
  }
}

/** Running mean of the mean squared logarithmic error. */
export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.meanSquaredLogarithmicError), { name: args.name ?? 'mean_squared_logarithmic_error' });
  }
}

/** Running mean of the hinge loss. */
export class Hinge extends MeanMetricWrapper {
  static override readonly className: string = 'Hinge';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.hinge), { name: args.name ?? 'hinge' });
  }
}

/** Running mean of the squared hinge loss. */
export class SquaredHinge extends MeanMetricWrapper {
  static override readonly className: string = 'SquaredHinge';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.squaredHinge), { name: args.name ?? 'squared_hinge' });
  }
}

/** Running mean of the categorical hinge loss. */
export class CategoricalHinge extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalHinge';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.categoricalHinge), { name: args.name ?? 'categorical_hinge' });
  }
}

/** Running mean of the Kullback–Leibler divergence. */
export class KLDivergence extends MeanMetricWrapper {
  static override readonly className: string = 'KLDivergence';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.kullbackLeiblerDivergence), { name: args.name ?? 'kullback_leibler_divergence' });
  }
}

/** Running mean of the Poisson loss. */
export class Poisson extends MeanMetricWrapper {
  static override readonly className: string = 'Poisson';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.poisson), { name: args.name ?? 'poisson' });
  }
}

/** Running mean of log(cosh(error)). */
export class LogCoshError extends MeanMetricWrapper {
  static override readonly className: string = 'LogCoshError';
  constructor(args: { name?: string } = {}) {
    super(viaOps(losses.logCosh), { name: args.name ?? 'logcosh' });
  }
}

/** Running mean of the cosine similarity Σ l2n(y)·l2n(ŷ) (positive, unlike the loss). */
export class CosineSimilarity extends MeanMetricWrapper {
  static override readonly className: string = 'CosineSimilarity';
  constructor(args: { name?: string } = {}) {
    super(viaOps(positiveCosine), { name: args.name ?? 'cosine_similarity' });
  }
}

/** Running mean of binary crossentropy. */
export class BinaryCrossentropy extends MeanMetricWrapper {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: { name?: string; fromLogits?: boolean; labelSmoothing?: number } = {}) {
    const opts = { fromLogits: args.fromLogits ?? false, labelSmoothing: args.labelSmoothing ?? 0 };
    super(viaOps((t, p) => losses.binaryCrossentropy(t, p, opts)), { name: args.name ?? 'binary_crossentropy' });
    this.fromLogits = opts.fromLogits;
    this.labelSmoothing = opts.labelSmoothing;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/** Running mean of categorical crossentropy. */
export class CategoricalCrossentropy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: { name?: string; fromLogits?: boolean; labelSmoothing?: number } = {}) {
    const opts = { fromLogits: args.fromLogits ?? false, labelSmoothing: args.labelSmoothing ?? 0 };
    super(viaOps((t, p) => losses.categoricalCrossentropy(t, p, opts)), { name: args.name ?? 'categorical_crossentropy' });
    this.fromLogits = opts.fromLogits;
    this.labelSmoothing = opts.labelSmoothing;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/** Running mean of sparse categorical crossentropy. */
export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor(args: { name?: string; fromLogits?: boolean } = {}) {
    const opts = { fromLogits: args.fromLogits ?? false };
    super(viaOps((t, p) => losses.sparseCategoricalCrossentropy(t, p, opts)), { name: args.name ?? 'sparse_categorical_crossentropy' });
    this.fromLogits = opts.fromLogits;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}
