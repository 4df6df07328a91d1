// The premade estimators: Linear, DNN, DNN-linear combined and Baseline classifiers/regressors.
import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { Dense } from '../keras/layers/core/dense.js';
import { Dropout } from '../keras/layers/core/dropout.js';
import { BatchNormalization } from '../keras/layers/normalization/batch-normalization.js';
import type { Optimizer } from '../keras/optimizers/base.js';
import { DenseFeatures } from './feature-column/dense-features.js';
import { batchSize } from './feature-column/raw.js';
import type { FeatureColumn } from './feature-column/types.js';
import type { ModelContext } from './context.js';
import { Estimator, type ModelFnArgs, type PredictionRecord } from './estimator.js';
import { classificationSpec, regressionSpec, vocabularyLabelIds, type HeadArgs } from './head.js';
import type { InputFn, RawLabels } from './input.js';
import {
  checkClassifier,
  checkColumns,
  checkDnn,
  resolveOptimizer,
  type ClassifierOptions,
  type DefaultOptimizer,
  type DnnOptions,
  type PremadeOptions,
  type RegressorOptions,
} from './premade-options.js';
import { ModeKeys, type EstimatorSpec, type ModeKey } from './spec.js';

type Logits = (a: ModelFnArgs<unknown>) => Tensor;

function linearLogits(prefix: string, columns: readonly FeatureColumn[], units: number): Logits {
  return ({ features, ctx }) => {
    const x = ctx.layer(`${prefix}input_layer`, () => new DenseFeatures(columns)).transform(features);
    return ctx.layer(`${prefix}logits`, () => new Dense({ units })).apply(x) as Tensor;
  };
}

function dnnLogits(prefix: string, columns: readonly FeatureColumn[], units: number, o: DnnOptions): Logits {
  return ({ features, ctx }) => {
    let x = ctx.layer(`${prefix}input_layer`, () => new DenseFeatures(columns)).transform(features);
    const call = (c: ModelContext, key: string, make: () => Dense | Dropout | BatchNormalization): Tensor => c.layer(key, make).apply(x, { training: c.training }) as Tensor;
    o.hiddenUnits.forEach((u, i) => {
      x = call(ctx, `${prefix}hiddenlayer_${i}`, () => new Dense({ units: u, activation: o.activation ?? 'relu' }));
      if (o.batchNorm) x = call(ctx, `${prefix}hiddenlayer_${i}/batchnorm`, () => new BatchNormalization({}));
      if (o.dropout) x = call(ctx, `${prefix}hiddenlayer_${i}/dropout`, () => new Dropout({ rate: o.dropout! }));
    });
    return call(ctx, `${prefix}logits`, () => new Dense({ units }));
  };
}

function baselineLogits(units: number): Logits {
  return ({ features, ctx }) => {
    const bias = ctx.variable('bias', () => ops.zeros([1, units]));
    const n = batchSize(Object.values(features)[0] ?? []);
    return ops.mul(ops.ones([n, 1]), bias);
  };
}

function headArgs(a: ModelFnArgs<unknown>, optimizer: Optimizer, weightColumn: string | undefined): HeadArgs {
  return { features: a.features, labels: a.labels, mode: a.mode, optimizer, weightColumn };
}

/**
 * Base of the premade classifiers. With labelVocabulary, string labels are class names mapped to
 * ids by their position in it, and predictions include the `classes` names.
 */
abstract class PremadeClassifier extends Estimator<unknown> {
  readonly nClasses: number;
  readonly labelVocabulary: readonly string[] | undefined;
  constructor(o: PremadeOptions & ClassifierOptions, where: string, defaultLr: number, logits: (units: number) => Logits, defaultOptimizer: DefaultOptimizer = 'adagrad') {
    checkColumns(o.featureColumns, where);
    const nClasses = checkClassifier(o, where);
    const optimizer = resolveOptimizer(o.optimizer, defaultLr, where, defaultOptimizer);
    const f = logits(nClasses === 2 ? 1 : nClasses);
    super({ modelDir: o.modelDir, config: o.config, modelFn: (a): EstimatorSpec => classificationSpec(f(a), nClasses, headArgs(a, optimizer, o.weightColumn)) });
    this.nClasses = nClasses;
    this.labelVocabulary = o.labelVocabulary;
  }
  protected override prepareLabels(labels: RawLabels | undefined, mode: ModeKey): Tensor | undefined {
    if (!this.labelVocabulary || labels === undefined || mode === ModeKeys.PREDICT) return super.prepareLabels(labels, mode);
    return vocabularyLabelIds(labels, this.labelVocabulary, `${this.constructor.name}.${mode === ModeKeys.TRAIN ? 'train' : 'evaluate'}`, 0, 'row of the batch');
  }
  override async *predict(inputFn: InputFn, options: { predictKeys?: readonly string[] } = {}): AsyncGenerator<PredictionRecord> {
    const vocab = this.labelVocabulary;
    const wantsClasses = vocab && (!options.predictKeys || options.predictKeys.includes('classes'));
    const keys = options.predictKeys?.filter((k) => k !== 'classes');
    const inner = keys ? { predictKeys: wantsClasses && !keys.includes('classIds') ? [...keys, 'classIds'] : keys } : {};
    for await (const rec of super.predict(inputFn, inner)) {
      if (wantsClasses) rec['classes'] = vocab![rec['classIds'] as number]!;
      yield rec;
    }
  }
}

abstract class PremadeRegressor extends Estimator<unknown> {
  constructor(o: PremadeOptions & RegressorOptions, where: string, defaultLr: number, logits: (units: number) => Logits, defaultOptimizer: DefaultOptimizer = 'adagrad') {
    checkColumns(o.featureColumns, where);
    const dim = o.labelDimension ?? 1;
    const optimizer = resolveOptimizer(o.optimizer, defaultLr, where, defaultOptimizer);
    const f = logits(dim);
    super({ modelDir: o.modelDir, config: o.config, modelFn: (a): EstimatorSpec => regressionSpec(f(a), dim, headArgs(a, optimizer, o.weightColumn)) });
  }
}

/**
 * A linear classifier over feature columns (categorical columns one-hot encoded). Default
 * optimizer: Ftrl, learning rate 0.2 (as TensorFlow).
 *
 * @example
 * ```ts
 * const fc = nb.featureColumn;
 * const est = new nb.estimator.LinearClassifier({featureColumns: [fc.numericColumn('x', {shape: 4})], nClasses: 3});
 * ```
 */
export class LinearClassifier extends PremadeClassifier {
  constructor(o: PremadeOptions & ClassifierOptions) {
    super(o, 'LinearClassifier', 0.2, (u) => linearLogits('linear/', o.featureColumns, u), 'ftrl');
  }
}

/** A linear regressor over feature columns (default Ftrl, learning rate 0.2, as TensorFlow). @example `new nb.estimator.LinearRegressor({featureColumns})` */
export class LinearRegressor extends PremadeRegressor {
  constructor(o: PremadeOptions & RegressorOptions) {
    super(o, 'LinearRegressor', 0.2, (u) => linearLogits('linear/', o.featureColumns, u), 'ftrl');
  }
}

/**
 * A feed-forward network classifier: DenseFeatures, hidden Dense layers (activation, optional
 * batch norm and dropout), logits. Default optimizer: Adagrad, learning rate 0.05 (as TensorFlow).
 *
 * @example
 * ```ts
 * const est = new nb.estimator.DNNClassifier({featureColumns, hiddenUnits: [16, 16], nClasses: 3, optimizer: 'adam'});
 * await est.train(inputFn, {steps: 500});
 * ```
 */
export class DNNClassifier extends PremadeClassifier {
  constructor(o: PremadeOptions & ClassifierOptions & DnnOptions) {
    checkDnn(o, 'DNNClassifier');
    super(o, 'DNNClassifier', 0.05, (u) => dnnLogits('dnn/', o.featureColumns, u, o));
  }
}

/** A feed-forward network regressor (see DNNClassifier). @example `new nb.estimator.DNNRegressor({featureColumns, hiddenUnits: [32]})` */
export class DNNRegressor extends PremadeRegressor {
  constructor(o: PremadeOptions & RegressorOptions & DnnOptions) {
    checkDnn(o, 'DNNRegressor');
    super(o, 'DNNRegressor', 0.05, (u) => dnnLogits('dnn/', o.featureColumns, u, o));
  }
}

/** Options of the combined estimators: linear and DNN parts over their own columns. */
export interface CombinedOptions extends Omit<PremadeOptions, 'featureColumns'>, Partial<Omit<DnnOptions, 'hiddenUnits'>> {
  linearFeatureColumns: readonly FeatureColumn[];
  dnnFeatureColumns: readonly FeatureColumn[];
  dnnHiddenUnits: readonly number[];
}

function combined(o: CombinedOptions): (u: number) => Logits {
  const dnn: DnnOptions = { hiddenUnits: o.dnnHiddenUnits, ...(o.activation ? { activation: o.activation } : {}), ...(o.dropout ? { dropout: o.dropout } : {}), ...(o.batchNorm ? { batchNorm: o.batchNorm } : {}) };
  return (u) => {
    const lin = linearLogits('linear/', o.linearFeatureColumns, u);
    const deep = dnnLogits('dnn/', o.dnnFeatureColumns, u, dnn);
    return (a) => ops.add(lin(a), deep(a));
  };
}

/**
 * Wide & deep classifier: logits = linear(linearFeatureColumns) + dnn(dnnFeatureColumns), trained
 * with one optimizer (TensorFlow uses one per part).
 *
 * @example
 * ```ts
 * new nb.estimator.DNNLinearCombinedClassifier({linearFeatureColumns: [cross], dnnFeatureColumns: [emb, age], dnnHiddenUnits: [32]});
 * ```
 */
export class DNNLinearCombinedClassifier extends PremadeClassifier {
  constructor(o: CombinedOptions & ClassifierOptions) {
    checkDnn({ hiddenUnits: o.dnnHiddenUnits, ...(o.dropout !== undefined ? { dropout: o.dropout } : {}) }, 'DNNLinearCombinedClassifier');
    checkColumns(o.linearFeatureColumns, 'DNNLinearCombinedClassifier (linearFeatureColumns)');
    super({ ...o, featureColumns: o.dnnFeatureColumns }, 'DNNLinearCombinedClassifier', 0.05, combined(o));
  }
}

/** Wide & deep regressor (see DNNLinearCombinedClassifier). @example `new nb.estimator.DNNLinearCombinedRegressor({linearFeatureColumns, dnnFeatureColumns, dnnHiddenUnits: [16]})` */
export class DNNLinearCombinedRegressor extends PremadeRegressor {
  constructor(o: CombinedOptions & RegressorOptions) {
    checkDnn({ hiddenUnits: o.dnnHiddenUnits, ...(o.dropout !== undefined ? { dropout: o.dropout } : {}) }, 'DNNLinearCombinedRegressor');
    checkColumns(o.linearFeatureColumns, 'DNNLinearCombinedRegressor (linearFeatureColumns)');
    super({ ...o, featureColumns: o.dnnFeatureColumns }, 'DNNLinearCombinedRegressor', 0.05, combined(o));
  }
}

/** Options of the baselines (feature columns are not used). */
export type BaselineOptions = Omit<PremadeOptions, 'featureColumns'>;

/**
 * Predicts the class prior learned from the labels, ignoring the features: a floor to beat.
 *
 * @example
 * ```ts
 * const base = new nb.estimator.BaselineClassifier({nClasses: 3});
 * ```
 */
export class BaselineClassifier extends PremadeClassifier {
  constructor(o: BaselineOptions & ClassifierOptions = {}) {
    super({ ...o, featureColumns: [{ kind: 'dense', name: 'unused', dimension: 0, toDense: () => ops.zeros([0]) }] }, 'BaselineClassifier', 0.3, baselineLogits);
  }
}

/** Predicts the label mean learned from the labels, ignoring the features. @example `new nb.estimator.BaselineRegressor()` */
export class BaselineRegressor extends PremadeRegressor {
  constructor(o: BaselineOptions & RegressorOptions = {}) {
    super({ ...o, featureColumns: [{ kind: 'dense', name: 'unused', dimension: 0, toDense: () => ops.zeros([0]) }] }, 'BaselineRegressor', 0.3, baselineLogits);
  }
}
