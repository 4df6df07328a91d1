// ModeKeys, EstimatorSpec and RunConfig.
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Metric } from '../keras/metrics/base.js';
import type { Optimizer } from '../keras/optimizers/base.js';

/** The three modes a model function is called in. */
export const ModeKeys = { TRAIN: 'train', EVAL: 'eval', PREDICT: 'infer' } as const;
/** One of `ModeKeys`. */
export type ModeKey = (typeof ModeKeys)[keyof typeof ModeKeys];

/** A metric to update on every evaluation batch: `metric.updateState(yTrue, yPred, sampleWeight)`. */
export interface EvalMetric {
  metric: Metric;
  yTrue: Tensor;
  yPred: Tensor;
  sampleWeight?: Tensor;
}

/**
 * What a model function returns for one batch.
 *
 * @example
 * ```ts
 * return new nb.estimator.EstimatorSpec({mode, predictions: {logits}, loss, optimizer: 'adam'});
 * ```
 */
export class EstimatorSpec {
  readonly mode: ModeKey;
  /** Per-example outputs ([batch, ...] tensors) by key; required in PREDICT mode. */
  readonly predictions: Readonly<Record<string, Tensor>>;
  /** A scalar loss; required in TRAIN and EVAL mode. */
  readonly loss: Tensor | undefined;
  /**
   * TRAIN mode: the optimizer, by name or instance. The estimator keeps the first one it gets
   * (an instance returned again on later steps is the same object; a new one is ignored).
   */
  readonly optimizer: Optimizer | string | undefined;
  /** EVAL mode: metrics by name (the estimator keeps one metric object per name per evaluation). */
  readonly evalMetrics: Readonly<Record<string, EvalMetric>>;
  constructor(args: { mode: ModeKey; predictions?: Record<string, Tensor>; loss?: Tensor; optimizer?: Optimizer | string; evalMetrics?: Record<string, EvalMetric> }) {
    this.mode = args.mode;
    this.predictions = args.predictions ?? {};
    this.loss = args.loss;
    this.optimizer = args.optimizer;
    this.evalMetrics = args.evalMetrics ?? {};
    if (args.mode !== ModeKeys.PREDICT && args.loss === undefined) {
      throw new InvalidArgumentError(`EstimatorSpec: mode '${args.mode}' needs a loss; return {loss} from the model function in TRAIN and EVAL mode.`);
    }
    if (args.mode === ModeKeys.TRAIN && args.optimizer === undefined) {
      throw new InvalidArgumentError(`EstimatorSpec: TRAIN mode needs an optimizer (a name such as 'adam' or an Optimizer).`);
    }
    if (args.mode === ModeKeys.PREDICT && Object.keys(this.predictions).length === 0) {
      throw new InvalidArgumentError(`EstimatorSpec: PREDICT mode needs predictions (a record of [batch, ...] tensors).`);
    }
  }
}

/** Options of `RunConfig`. */
export interface RunConfigOptions {
  /** Where checkpoints go; an Estimator's own modelDir wins when both are given. */
  modelDir?: string;
  /** Save a checkpoint every this many global steps (default 100); training also saves at the end. */
  saveCheckpointsSteps?: number;
  /** Keep the newest this many checkpoints (default 5; 0 keeps all). */
  keepCheckpointMax?: number;
  /** Seeds nabla's random streams (initial weights, dropout, shuffles) before the model is built. */
  randomSeed?: number;
  /** Where warnings go (a damaged checkpoint skipped, ...). Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Log the loss every this many steps through `onLog` (default 0: never). */
  logStepCountSteps?: number;
  onLog?: (message: string) => void;
  /**
   * Write the training loss to `modelDir` (TensorBoard event file and nabla's run log, for
   * `nabla dashboard` or `tensorboard --logdir`) every this many steps (default 100; 0: never).
   * Evaluation figures go to `modelDir/eval[_name]`.
   */
  saveSummarySteps?: number;
}

/**
 * How an Estimator runs: checkpoint cadence and retention, random seed.
 *
 * @example
 * ```ts
 * const config = new nb.estimator.RunConfig({modelDir: '/tmp/m', saveCheckpointsSteps: 50, keepCheckpointMax: 3, randomSeed: 1});
 * ```
 */
export class RunConfig {
  readonly modelDir: string | undefined;
  readonly saveCheckpointsSteps: number;
  readonly keepCheckpointMax: number;
  readonly randomSeed: number | undefined;
  readonly onWarning: (message: string) => void;
  readonly logStepCountSteps: number;
  readonly onLog: (message: string) => void;
  readonly saveSummarySteps: number;
  constructor(options: RunConfigOptions = {}) {
    this.modelDir = options.modelDir;
    this.saveCheckpointsSteps = options.saveCheckpointsSteps ?? 100;
    this.keepCheckpointMax = options.keepCheckpointMax ?? 5;
    this.randomSeed = options.randomSeed;
    this.onWarning = options.onWarning ?? ((m) => console.warn(m));
    this.logStepCountSteps = options.logStepCountSteps ?? 0;
    this.onLog = options.onLog ?? ((m) => console.log(m));
    this.saveSummarySteps = options.saveSummarySteps ?? 100;
    for (const [k, v] of [['saveCheckpointsSteps', this.saveCheckpointsSteps], ['keepCheckpointMax', this.keepCheckpointMax], ['logStepCountSteps', this.logStepCountSteps], ['saveSummarySteps', this.saveSummarySteps]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`RunConfig: ${k} must be a non-negative integer, got ${v}.`);
    }
  }
  /** A copy with some options replaced. */
  replace(options: RunConfigOptions): RunConfig {
    return new RunConfig({
      modelDir: this.modelDir,
      saveCheckpointsSteps: this.saveCheckpointsSteps,
      keepCheckpointMax: this.keepCheckpointMax,
      randomSeed: this.randomSeed,
      onWarning: this.onWarning,
      logStepCountSteps: this.logStepCountSteps,
      onLog: this.onLog,
      saveSummarySteps: this.saveSummarySteps,
      ...options,
    });
  }
}
