/**
 * `nb.estimator`: TensorFlow's Estimators — train / evaluate / predict around a model function,
 * modelDir checkpoints with resume, premade Linear / DNN / wide-and-deep / baseline models.
 *
 * @example
 * ```ts
 * const fc = nb.featureColumn;
 * const est = new nb.estimator.DNNClassifier({featureColumns: [fc.numericColumn('x', {shape: 4})], hiddenUnits: [16], nClasses: 3});
 * await est.train(nb.estimator.numpyInputFn({x: {x}, y, numEpochs: null}), {steps: 300});
 * const {accuracy} = await est.evaluate(nb.estimator.numpyInputFn({x: {x: xTest}, y: yTest, shuffle: false}));
 * ```
 * @packageDocumentation
 */
export { Estimator, type EstimatorOptions, type ModelFn, type ModelFnArgs, type TrainHook, type TrainOptions, type EvalResult, type PredictionRecord } from './estimator.js';
export { EstimatorSpec, ModeKeys, RunConfig, type ModeKey, type EvalMetric, type RunConfigOptions } from './spec.js';
export { ModelContext } from './context.js';
export type { InputFn, InputElement, RawLabels } from './input.js';
export { numpyInputFn, type NumpyInputOptions } from './input-fns.js';
export { readCsvTable, inferFeatureColumns, inferColumnSpecs, columnsFromSpecs, tableFeatures, labelTensor, inferLabelVocabulary, isStringLabelColumn, type CsvTable, type CsvTableOptions, type ColumnSpec } from './csv-table.js';
export {
  LinearClassifier,
  LinearRegressor,
  DNNClassifier,
  DNNRegressor,
  DNNLinearCombinedClassifier,
  DNNLinearCombinedRegressor,
  BaselineClassifier,
  BaselineRegressor,
  type CombinedOptions,
  type BaselineOptions,
} from './premade.js';
export type { PremadeOptions, ClassifierOptions, RegressorOptions, DnnOptions } from './premade-options.js';
export { listCheckpoints, readCheckpoint, CHECKPOINT_FORMAT } from './checkpoint.js';
export { modelToEstimator } from './keras-model.js';
export { exportSavedModel, loadServable, trainAndEvaluate, type Servable, type TrainSpec, type EvalSpec } from './serving.js';
export { csvInputFn, type CsvInputOptions } from './csv-input.js';
export { rocCurve, type RocCurve, type RocPoint } from './roc.js';
export { writeEvaluationReport, evaluationData, type EvaluationReportOptions, type EvaluationData } from './evaluation-report.js';
