// The Estimator: train / evaluate / predict around a model function, with modelDir checkpoints.
import { writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { FailedPreconditionError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { setSeed } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { GradientTape } from '../autodiff/tape.js';
import { withoutRecording } from '../ops/engine.js';
import type { Metric } from '../keras/metrics/base.js';
import { getOptimizer } from '../keras/optimizers/index.js';
import type { Optimizer } from '../keras/optimizers/base.js';
import { latestGoodCheckpoint, saveCheckpoint, type CheckpointData } from './checkpoint.js';
import { ModelContext } from './context.js';
import type { FeatureRecord } from './feature-column/raw.js';
import { batches, labelsAsTensor, type Batch, type InputFn, type RawLabels } from './input.js';
import { createFileWriter, type SummaryWriter } from '../summary/writer.js';
import { EstimatorSpec, ModeKeys, RunConfig, type ModeKey } from './spec.js';

/** What a model function gets for one batch. */
export interface ModelFnArgs<P> {
  features: FeatureRecord;
  labels: Tensor | undefined;
  mode: ModeKey;
  params: P;
  config: RunConfig;
  /** Persistent layers and variables; `ctx.training` is true in TRAIN mode. */
  ctx: ModelContext;
}

/** Builds the model's outputs for one batch. */
export type ModelFn<P> = (args: ModelFnArgs<P>) => EstimatorSpec;

/** Options of `new Estimator(...)`. */
export interface EstimatorOptions<P> {
  modelFn: ModelFn<P>;
  /** Checkpoint folder; without one (and without config.modelDir) nothing is saved. */
  modelDir?: string;
  config?: RunConfig;
  params?: P;
}

/** Called around training. `afterStep` returning true stops training. */
export interface TrainHook {
  begin?(estimator: Estimator<unknown>): void;
  afterStep?(info: { globalStep: number; loss: number }): boolean | void;
  end?(info: { globalStep: number }): void;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Train this many more steps (or until the input ends). */
  steps?: number;
  /** Stop when the global step reaches this (absolute). */
  maxSteps?: number;
  hooks?: TrainHook[];
}

/** `evaluate` results: loss (mean batch loss), averageLoss (per example), globalStep, metrics. */
export type EvalResult = Record<string, number> & { loss: number; averageLoss: number; globalStep: number };

/** One example's predictions: numbers for scalars, arrays for vectors. */
export type PredictionRecord = Record<string, number | number[] | string>;

function checkCount(where: string, key: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new InvalidArgumentError(`${where}: ${key} must be a non-negative integer, got ${v}.`);
}

/**
 * TensorFlow's Estimator: training, evaluation and prediction from a model function and input
 * functions, with checkpoints in `modelDir` (saved every `saveCheckpointsSteps` and at the end of
 * training; a new Estimator on the same folder resumes from the newest good one).
 *
 * @example
 * ```ts
 * const est = new nb.estimator.Estimator({
 *   modelDir: '/tmp/linear',
 *   modelFn: ({features, labels, mode, ctx}) => {
 *     const x = features['x'] as nb.Tensor;
 *     const y = ctx.layer('dense', () => nb.keras.layers.dense({units: 1})).apply(x) as nb.Tensor;
 *     const loss = labels ? nb.mean(nb.square(nb.sub(y, labels))) : undefined;
 *     return new nb.estimator.EstimatorSpec({mode, predictions: {y}, loss, optimizer: 'sgd'});
 *   },
 * });
 * await est.train(() => nb.data.Dataset.fromTensorSlices([{x}, y]).batch(8).repeat(), {steps: 100});
 * ```
 */
export class Estimator<P = Record<string, unknown>> {
  readonly modelFn: ModelFn<P>;
  readonly config: RunConfig;
  readonly params: P;
  readonly ctx = new ModelContext();
  /** Training steps taken, continued across Estimators on the same modelDir. */
  globalStep = 0;
  private optimizer: Optimizer | null = null;
  private built = false;
  private pendingOptimizer: CheckpointData | null = null;

  constructor(options: EstimatorOptions<P>) {
    if (!options || typeof options.modelFn !== 'function') throw new InvalidArgumentError(`Estimator: modelFn must be a function ({features, labels, mode, params, ctx}) => EstimatorSpec.`);
    this.modelFn = options.modelFn;
    const base = options.config ?? new RunConfig();
    this.config = options.modelDir !== undefined ? base.replace({ modelDir: options.modelDir }) : base;
    this.params = options.params ?? ({} as P);
  }

  /** The checkpoint folder, if any. */
  get modelDir(): string | undefined {
    return this.config.modelDir;
  }

  /**
   * The labels the model function gets: tensors as they are, numbers as float32, strings an error
   * in training and evaluation (premade classifiers with labelVocabulary override this to map
   * class names to ids).
   */
  protected prepareLabels(labels: RawLabels | undefined, mode: ModeKey): Tensor | undefined {
    // Prediction does not use labels: class names an input function still yields are dropped.
    if (mode === ModeKeys.PREDICT && labels !== undefined && !(labels instanceof Tensor) && labels.some((v) => typeof v === 'string')) return undefined;
    return labelsAsTensor(labels, `${this.constructor.name}.${mode === ModeKeys.TRAIN ? 'train' : mode === ModeKeys.EVAL ? 'evaluate' : 'predict'}`);
  }

  private call(batch: Batch, mode: ModeKey): EstimatorSpec {
    this.ctx.training = mode === ModeKeys.TRAIN;
    const labels = this.prepareLabels(batch.labels, mode);
    const spec = this.modelFn({ features: batch.features, labels, mode, params: this.params, config: this.config, ctx: this.ctx });
    if (!(spec instanceof EstimatorSpec)) throw new InvalidArgumentError(`Estimator: the model function must return an EstimatorSpec, got ${spec === null ? 'null' : typeof spec}.`);
    return spec;
  }

  /** First batch: create the variables (seeded), then restore the newest good checkpoint. */
  private build(batch: Batch, mode: ModeKey): void {
    if (this.built) return;
    if (this.config.randomSeed !== undefined) setSeed(this.config.randomSeed);
    withoutRecording(() => this.call(batch, mode === ModeKeys.TRAIN ? ModeKeys.EVAL : mode));
    this.built = true;
    if (!this.modelDir) return;
    const ckpt = latestGoodCheckpoint(this.modelDir, this.config.onWarning);
    if (ckpt) this.restore(ckpt);
  }

  private restore(ckpt: CheckpointData & { path: string }): void {
    const vars = this.ctx.namedVariables();
    const saved = new Map(ckpt.variables.map((v) => [v.name, v.tensor]));
    const missing = vars.filter((v) => !saved.has(v.name)).map((v) => v.name);
    if (missing.length > 0 || saved.size !== vars.length) {
      throw new FailedPreconditionError(
        `Estimator: the checkpoint '${ckpt.path}' was written by a different model: it has ${saved.size} variables, the model has ${vars.length}` +
          `${missing.length ? ` (missing: ${missing.slice(0, 5).join(', ')})` : ''}. Use a new modelDir, or the model function that wrote it.`,
      );
    }
    for (const { name, variable } of vars) {
      const t = saved.get(name)!;
      if (t.shape.join(',') !== variable.shape.join(',')) {
        throw new ShapeError(`Estimator: checkpoint variable '${name}' has shape [${t.shape.join(', ')}], the model's has [${variable.shape.join(', ')}]. Use a new modelDir for a changed model.`);
      }
      variable.assign(t);
    }
    this.globalStep = ckpt.globalStep;
    this.pendingOptimizer = ckpt.optimizer.length > 0 ? ckpt : null;
  }

  private ensureOptimizer(spec: EstimatorSpec): Optimizer {
    if (this.optimizer) return this.optimizer;
    const opt = getOptimizer(spec.optimizer!, 'EstimatorSpec.optimizer');
    this.optimizer = opt;
    if (this.pendingOptimizer) {
      opt.build(this.ctx.trainableVariables());
      opt.setWeights(this.pendingOptimizer.optimizer);
      this.pendingOptimizer = null;
    }
    return opt;
  }

  /** Writes a checkpoint of the current state (a no-op without modelDir); returns its path. */
  saveCheckpoint(): string | null {
    if (!this.modelDir || !this.built) return null;
    const data: CheckpointData = {
      globalStep: this.globalStep,
      variables: this.ctx.namedVariables().map(({ name, variable }) => ({ name, tensor: variable })),
      optimizer: this.optimizer ? this.optimizer.getWeights() : (this.pendingOptimizer?.optimizer ?? []),
      optimizerClass: this.optimizer ? this.optimizer.getClassName() : (this.pendingOptimizer?.optimizerClass ?? null),
    };
    return saveCheckpoint(this.modelDir, data, this.config.keepCheckpointMax);
  }

  /**
   * Trains on the batches of `inputFn` for `steps` more steps, until the global step reaches
   * `maxSteps`, or until the input ends. Saves checkpoints on the way and at the end.
   */
  async train(inputFn: InputFn, options: TrainOptions = {}): Promise<this> {
    checkCount('Estimator.train', 'steps', options.steps);
    checkCount('Estimator.train', 'maxSteps', options.maxSteps);
    if (options.steps !== undefined && options.maxSteps !== undefined) throw new InvalidArgumentError(`Estimator.train: give steps or maxSteps, not both.`);
    const hooks = options.hooks ?? [];
    for (const h of hooks) h.begin?.(this as Estimator<unknown>);
    let taken = 0;
    let lastSaved = -1;
    const every = this.config.saveSummarySteps;
    let summary: SummaryWriter | null = null;
    let lastTime = performance.now();
    let lastStep = this.globalStep;
    try {
    const done = (): boolean => (options.steps !== undefined && taken >= options.steps) || (options.maxSteps !== undefined && this.globalStep >= options.maxSteps);
    for await (const batch of batches(inputFn, 'Estimator.train')) {
      this.build(batch, ModeKeys.TRAIN);
      if (done()) break;
      const vars = this.ctx.trainableVariables();
      const tape = new GradientTape();
      const spec = tape.record(() => this.call(batch, ModeKeys.TRAIN));
      const loss = spec.loss!;
      if (loss.size !== 1) throw new ShapeError(`Estimator.train: the loss must be a scalar, got shape [${loss.shape.join(', ')}]. Reduce it with nb.mean.`);
      const opt = this.ensureOptimizer(spec);
      const grads = tape.gradient(loss, vars);
      opt.applyGradients(vars.map((v, i) => [grads[i] ?? null, v] as const));
      this.globalStep++;
      taken++;
      const lossValue = loss.item() as number;
      if (!Number.isFinite(lossValue)) throw new FailedPreconditionError(`Estimator.train: the loss is ${lossValue} at global step ${this.globalStep}. Lower the learning rate or check the data for NaN/inf values.`);
      if (this.config.logStepCountSteps > 0 && this.globalStep % this.config.logStepCountSteps === 0) this.config.onLog(`global step ${this.globalStep}: loss ${lossValue.toFixed(5)}`);
      if (this.modelDir && every > 0 && (this.globalStep % every === 0 || taken === 1)) {
        summary ??= createFileWriter(this.modelDir, { metadata: { model: this.constructor.name } });
        summary.scalar('loss', lossValue, this.globalStep);
        const now = performance.now();
        if (this.globalStep > lastStep) summary.scalar('global_step/sec', ((this.globalStep - lastStep) * 1000) / Math.max(1e-9, now - lastTime), this.globalStep);
        lastTime = now;
        lastStep = this.globalStep;
        summary.flush();
      }
      const stop = hooks.some((h) => h.afterStep?.({ globalStep: this.globalStep, loss: lossValue }) === true);
      if (this.config.saveCheckpointsSteps > 0 && this.globalStep % this.config.saveCheckpointsSteps === 0) {
        this.saveCheckpoint();
        lastSaved = this.globalStep;
      }
      if (stop || done()) break;
    }
    } finally {
      summary?.close();
    }
    if (taken > 0 && lastSaved !== this.globalStep) this.saveCheckpoint();
    for (const h of hooks) h.end?.({ globalStep: this.globalStep });
    return this;
  }

  /**
   * Evaluates on the batches of `inputFn` (all, or the first `steps`): `loss` is the mean batch
   * loss, `averageLoss` the loss per example, plus the spec's evalMetrics and `globalStep`. With a
   * modelDir, results are also written to `modelDir/eval[_name]/results.json`. With `reportDir`
   * (nabla's addition; TensorFlow has none) the input is also predicted and a report written
   * there: report.md, report.json and PNG plots (see `writeEvaluationReport`).
   *
   * @example
   * ```ts
   * const {accuracy, loss} = await est.evaluate(testFn, {reportDir: 'runs/iris/report'});
   * ```
   */
  async evaluate(inputFn: InputFn, options: { steps?: number; name?: string; reportDir?: string } = {}): Promise<EvalResult> {
    checkCount('Estimator.evaluate', 'steps', options.steps);
    let lossSum = 0;
    let weighted = 0;
    let examples = 0;
    let nBatches = 0;
    const metrics = new Map<string, Metric>();
    for await (const batch of batches(inputFn, 'Estimator.evaluate')) {
      if (options.steps !== undefined && nBatches >= options.steps) break;
      this.build(batch, ModeKeys.EVAL);
      withoutRecording(() => {
        const spec = this.call(batch, ModeKeys.EVAL);
        const loss = spec.loss!.item() as number;
        const n = batch.labels === undefined ? 1 : batch.labels instanceof Tensor ? batch.labels.shape[0] ?? 1 : batch.labels.length;
        lossSum += loss;
        weighted += loss * n;
        examples += n;
        for (const [name, m] of Object.entries(spec.evalMetrics)) {
          let metric = metrics.get(name);
          if (!metric) {
            metric = m.metric;
            metric.resetState();
            metrics.set(name, metric);
          }
          metric.updateState(m.yTrue, m.yPred, m.sampleWeight);
        }
      });
      nBatches++;
    }
    if (nBatches === 0) throw new InvalidArgumentError(`Estimator.evaluate: the input function gave no batches; check the file or dataset it reads.`);
    const result: Record<string, number> = { loss: lossSum / nBatches, averageLoss: weighted / examples, globalStep: this.globalStep };
    for (const [name, m] of metrics) result[name] = m.result();
    if (this.modelDir) {
      const dir = join(this.modelDir, options.name ? `eval_${options.name}` : 'eval');
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.results.json.tmp-${process.pid}`);
      writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
      renameSync(tmp, join(dir, 'results.json'));
      if (this.config.saveSummarySteps > 0) {
        const w = createFileWriter(dir, { metadata: { model: this.constructor.name, split: options.name ?? 'eval' } });
        for (const [name, value] of Object.entries(result)) if (name !== 'globalStep' && Number.isFinite(value)) w.scalar(name, value, this.globalStep);
        w.close();
      }
    }
    if (options.reportDir !== undefined) {
      const { writeEvaluationReport } = await import('./evaluation-report.js');
      const { reportDir, ...rest } = options;
      await writeEvaluationReport(this as Estimator<unknown>, inputFn, reportDir, { ...rest, evalResult: result as EvalResult });
    }
    return result as EvalResult;
  }

  /** Per-example prediction records for the batches of `inputFn` (only `predictKeys` if given). */
  async *predict(inputFn: InputFn, options: { predictKeys?: readonly string[] } = {}): AsyncGenerator<PredictionRecord> {
    for await (const batch of batches(inputFn, 'Estimator.predict')) {
      this.build(batch, ModeKeys.PREDICT);
      const spec = withoutRecording(() => this.call(batch, ModeKeys.PREDICT));
      const keys = options.predictKeys ?? Object.keys(spec.predictions);
      for (const k of keys) {
        if (!(k in spec.predictions)) throw new InvalidArgumentError(`Estimator.predict: unknown predictKey '${k}'; the model predicts: ${Object.keys(spec.predictions).join(', ')}.`);
      }
      yield* this.unbatch(spec, keys);
    }
  }

  private *unbatch(spec: EstimatorSpec, keys: readonly string[]): Generator<PredictionRecord> {
    const cols = keys.map((k) => {
      const t = spec.predictions[k]!;
      const n = t.rank === 0 ? 1 : t.shape[0]!;
      const per = n === 0 ? 0 : t.size / n;
      return { k, n, per, v: t.values, scalar: t.rank <= 1 };
    });
    const n = cols[0]?.n ?? 0;
    for (let i = 0; i < n; i++) {
      const rec: PredictionRecord = {};
      for (const c of cols) rec[c.k] = c.scalar ? Number(c.v[i]) : Array.from(c.v.subarray(i * c.per, (i + 1) * c.per), Number);
      yield rec;
    }
  }

  /** Names of the model's variables (after the first train/evaluate/predict call). */
  getVariableNames(): string[] {
    return this.ctx.namedVariables().map((v) => v.name);
  }

  /** A variable's value by name. */
  getVariableValue(name: string): Tensor {
    const v = this.ctx.namedVariables().find((x) => x.name === name);
    if (!v) throw new InvalidArgumentError(`Estimator.getVariableValue: no variable '${name}'; known: ${this.getVariableNames().join(', ') || 'none (call train/evaluate/predict first)'}.`);
    return new Tensor(v.variable.shape, v.variable.dtype, v.variable.values.slice());
  }
}
