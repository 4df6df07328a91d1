// `nb.keras.metrics`: stateful Keras metrics, per-sample metric functions and `getMetric`.
import { InvalidArgumentError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { canonicalLossName } from '../losses/registry.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy.js';
import { Mean, Metric, squashName, type MetricFn } from './base.js';
import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion.js';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy } from './functions.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Hinge,
  KLDivergence,
  LogCoshError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  RootMeanSquaredError,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './regression.js';

export { Metric, Mean, MeanMetricWrapper, expandWeights, type MetricFn } from './base.js';
export {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
} from './functions.js';
export * from './accuracy.js';
export { Precision, Recall, TruePositives, FalsePositives, TrueNegatives, FalseNegatives, type ConfusionArgs } from './confusion.js';
export { AUC, type AUCArgs } from './auc.js';
export * from './regression.js';

/** Context for resolving names such as 'accuracy': the compiled loss and the output's shape. */
export interface MetricContext {
  lossName?: string;
  outputShape?: readonly (number | null)[];
}

type Kind = 'binary' | 'sparse' | 'categorical';

/**
 * Which accuracy / crossentropy a generic name means, as Keras resolves it: from the loss when it
 * says (binary / sparse / categorical crossentropy), else from the output shape (last dim 1 →
 * binary), else from the first batch's shapes.
 */
function kindFromContext(context: MetricContext): Kind | undefined {
  const loss = context.lossName === undefined ? undefined : canonicalLossName(context.lossName);
  if (loss === 'binary_crossentropy') return 'binary';
  if (loss === 'sparse_categorical_crossentropy') return 'sparse';
  if (loss === 'categorical_crossentropy') return 'categorical';
  const shape = context.outputShape;
  if (shape && shape.length > 0 && shape[shape.length - 1] === 1) return 'binary';
  return undefined;
}

/** Keras' shape rule (compile_utils): binary if the predictions' last dim is 1; sparse if labels lack the classes axis. */
function kindFromShapes(yTrue: Tensor, yPred: Tensor): Kind {
  const pLast = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
  const tLast = yTrue.rank === 0 ? 1 : yTrue.shape[yTrue.rank - 1];
  if (pLast === 1) return 'binary';
  if (yTrue.rank < yPred.rank || (tLast === 1 && pLast! > 1)) return 'sparse';
  return 'categorical';
}

/** A metric whose function is chosen by kind (now, or at the first update from the shapes). */
class ResolvedMetric extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  private chosen: MetricFn | null;
  constructor(
    name: string,
    private readonly fns: Record<Kind, MetricFn>,
    kind: Kind | undefined,
  ) {
    super({ name });
    this.chosen = kind ? fns[kind] : null;
  }
  override updateState(yTrue: Tensor | number | readonly number[], yPred?: Tensor, sampleWeight?: Tensor): void {
    if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
      throw new InvalidArgumentError(`${this.name}.updateState: expected (yTrue, yPred[, sampleWeight]) tensors.`);
    }
    if (!this.chosen) this.chosen = this.fns[kindFromShapes(yTrue, yPred)];
    const values = this.chosen(yTrue, yPred);
    this.accumulate(values.values, values.shape, sampleWeight);
  }
}

const ACCURACY_FNS: Record<Kind, MetricFn> = {
  binary: (t, p) => binaryAccuracy(t, p),
  sparse: sparseCategoricalAccuracy,
  categorical: categoricalAccuracy,
};

function crossentropyFns(): Record<Kind, MetricFn> {
  const b = new BinaryCrossentropy();
  const s = new SparseCategoricalCrossentropy();
  const c = new CategoricalCrossentropy();
  return { binary: b.fn, sparse: s.fn, categorical: c.fn };
}

/** Metric names (snake_case; camelCase and class-name spellings work too) and how to make each. */
const METRICS: Record<string, (name: string, context: MetricContext) => Metric> = {
  accuracy: (name, ctx) => new ResolvedMetric(name, ACCURACY_FNS, kindFromContext(ctx)),
  acc: (name, ctx) => new ResolvedMetric(name, ACCURACY_FNS, kindFromContext(ctx)),
  crossentropy: (name, ctx) => new ResolvedMetric(name, crossentropyFns(), kindFromContext(ctx)),
  ce: (name, ctx) => new ResolvedMetric(name, crossentropyFns(), kindFromContext(ctx)),
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  top_k_categorical_accuracy: (name) => new TopKCategoricalAccuracy({ name }),
  sparse_top_k_categorical_accuracy: (name) => new SparseTopKCategoricalAccuracy({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  mse: (name) => new MeanSquaredError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  mae: (name) => new MeanAbsoluteError({ name }),
  mean_absolute_percentage_error: (name) => new MeanAbsolutePercentageError({ name }),
  mape: (name) => new MeanAbsolutePercentageError({ name }),
  mean_squared_logarithmic_error: (name) => new MeanSquaredLogarithmicError({ name }),
  msle: (name) => new MeanSquaredLogarithmicError({ name }),
  root_mean_squared_error: (name) => new RootMeanSquaredError({ name }),
  rmse: (name) => new RootMeanSquaredError({ name }),
  precision: (name) => new Precision({ name }),
  recall: (name) => new Recall({ name }),
  auc: (name) => new AUC({ name }),
  true_positives: (name) => new TruePositives({ name }),
  false_positives: (name) => new FalsePositives({ name }),
  true_negatives: (name) => new TrueNegatives({ name }),
  false_negatives: (name) => new FalseNegatives({ name }),
  binary_crossentropy: (name) => new BinaryCrossentropy({ name }),
  categorical_crossentropy: (name) => new CategoricalCrossentropy({ name }),
  sparse_categorical_crossentropy: (name) => new SparseCategoricalCrossentropy({ name }),
  kl_divergence: (name) => new KLDivergence({ name }),
  kld: (name) => new KLDivergence({ name }),
  kullback_leibler_divergence: (name) => new KLDivergence({ name }),
  poisson: (name) => new Poisson({ name }),
  hinge: (name) => new Hinge({ name }),
  squared_hinge: (name) => new SquaredHinge({ name }),
  categorical_hinge: (name) => new CategoricalHinge({ name }),
  log_cosh: (name) => new LogCoshError({ name }),
  logcosh: (name) => new LogCoshError({ name }),
  log_cosh_error: (name) => new LogCoshError({ name }),
  cosine_similarity: (name) => new CosineSimilarity({ name }),
};

const BY_SQUASHED = new Map(Object.keys(METRICS).map((k) => [squashName(k), k]));

/** Names accepted by `getMetric`. */
export function metricNames(): string[] {
  return Object.keys(METRICS);
}

/**
 * Resolves a metric given by name or instance. The name is kept as given (so logs show the
 * key you wrote); 'accuracy' / 'acc' (and 'crossentropy') mean the binary, sparse or
 * categorical variant, as Keras resolves them from the loss and output shape.
 *
 * @example `getMetric('accuracy', {lossName: 'sparse_categorical_crossentropy'})`
 */
export function getMetric(identifier: string | Metric, context: MetricContext = {}): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier !== 'string') {
    throw new InvalidArgumentError(`compile: a metric must be a name or a Metric, got ${identifier === null ? 'null' : typeof identifier}.`);
  }
  const key = BY_SQUASHED.get(squashName(identifier));
  if (key === undefined) {
    throw new InvalidArgumentError(`compile: unknown metric '${identifier}'. Known metrics: ${metricNames().join(', ')}.`);
  }
  return METRICS[key]!(identifier, context);
}

/** The metric classes by Keras class name. */
export const METRIC_CLASSES: Record<string, new (args?: never) => Metric> = {
  Mean,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
  Precision,
  Recall,
  AUC,
  TruePositives,
  FalsePositives,
  TrueNegatives,
  FalseNegatives,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  LogCoshError,
  CosineSimilarity,
};
