// Options shared by the premade estimators, and turning them into parts of a model function.
import { InvalidArgumentError } from '../core/errors.js';
import { Adagrad } from '../keras/optimizers/adagrad.js';
import { Ftrl } from '../keras/optimizers/ftrl.js';
import type { Optimizer } from '../keras/optimizers/base.js';
import { getOptimizer } from '../keras/optimizers/index.js';
import type { FeatureColumn } from './feature-column/types.js';
import type { RunConfig } from './spec.js';

/** Options every premade estimator takes. */
export interface PremadeOptions {
  featureColumns: readonly FeatureColumn[];
  modelDir?: string;
  config?: RunConfig;
  /**
   * By name ('adam', 'sgd', 'ftrl', ...) or an instance. Default as TensorFlow: Ftrl at learning
   * rate 0.2 for the linear models, Adagrad for the others (learning rate per estimator).
   */
  optimizer?: string | Optimizer;
  /** A feature holding per-example loss weights. */
  weightColumn?: string;
}

/** Classifier options. */
export interface ClassifierOptions {
  /** Number of classes (default 2, or the length of labelVocabulary). Labels are class ids in [0, nClasses). */
  nClasses?: number;
  /**
   * Class names, in id order. Labels may then be these names (string arrays from the input
   * function, e.g. a CSV label column); each maps to its position here. Numeric labels are still
   * taken as ids. Predictions then include `classes`.
   */
  labelVocabulary?: readonly string[];
}

/** Regressor options. */
export interface RegressorOptions {
  /** Outputs per example (default 1). */
  labelDimension?: number;
}

/** Hidden-layer options of the DNN estimators. */
export interface DnnOptions {
  /** Units of each hidden layer, e.g. [64, 32]. */
  hiddenUnits: readonly number[];
  /** Hidden activation (default 'relu'). */
  activation?: string;
  /** Dropout rate after each hidden layer (default none). */
  dropout?: number;
  /** Batch normalization after each hidden layer (default false). */
  batchNorm?: boolean;
}

/** Which optimizer a premade estimator uses when none is given. */
export type DefaultOptimizer = 'adagrad' | 'ftrl';

/** The optimizer to use: the option by name or instance, else the default kind at `defaultLr`. */
export function resolveOptimizer(opt: string | Optimizer | undefined, defaultLr: number, where: string, kind: DefaultOptimizer = 'adagrad'): Optimizer {
  if (opt !== undefined) return getOptimizer(opt, where);
  return kind === 'ftrl' ? new Ftrl({ learningRate: defaultLr }) : new Adagrad({ learningRate: defaultLr });
}

/** Checks nClasses / labelVocabulary and returns nClasses. */
export function checkClassifier(o: ClassifierOptions, where: string): number {
  const n = o.nClasses ?? (o.labelVocabulary ? o.labelVocabulary.length : 2);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError(`${where}: nClasses must be an integer >= 2, got ${n}.`);
  if (o.labelVocabulary && o.labelVocabulary.length !== n) {
    throw new InvalidArgumentError(`${where}: labelVocabulary has ${o.labelVocabulary.length} names but nClasses is ${n}; give one name per class.`);
  }
  if (o.labelVocabulary) {
    const bad = o.labelVocabulary.find((v) => typeof v !== 'string');
    if (bad !== undefined) throw new InvalidArgumentError(`${where}: labelVocabulary must hold strings, got ${JSON.stringify(bad)}.`);
    const dup = o.labelVocabulary.find((v, i) => o.labelVocabulary!.indexOf(v) !== i);
    if (dup !== undefined) throw new InvalidArgumentError(`${where}: labelVocabulary has ${JSON.stringify(dup)} twice; each class name must be distinct.`);
  }
  return n;
}

/** Checks the DNN options. */
export function checkDnn(o: DnnOptions, where: string): void {
  if (!Array.isArray(o.hiddenUnits) || o.hiddenUnits.length === 0 || o.hiddenUnits.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new InvalidArgumentError(`${where}: hiddenUnits must be a non-empty list of positive integers, e.g. [64, 32]; got ${JSON.stringify(o.hiddenUnits)}.`);
  }
  if (o.dropout !== undefined && !(o.dropout >= 0 && o.dropout < 1)) throw new InvalidArgumentError(`${where}: dropout must be in [0, 1), got ${o.dropout}.`);
}

/** Checks the feature columns. */
export function checkColumns(cols: readonly FeatureColumn[], where: string): void {
  if (!Array.isArray(cols) || cols.length === 0) {
    throw new InvalidArgumentError(`${where}: featureColumns must be a non-empty list, e.g. [nb.featureColumn.numericColumn('x')].`);
  }
}
