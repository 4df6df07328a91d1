import { FailedPreconditionError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import type { Variable } from '../../core/variable.js';
import { GradientTape } from '../../autodiff/tape.js';
import { withoutRecording } from '../../ops/engine.js';
import * as ops from '../../ops/index.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';
import type { Logs } from '../callbacks/base.js';
import type { History } from '../callbacks/history.js';
import { Layer, LayerError, type CallArgs, type Constraint, type LayerArgs, type LayerInput, type LayerOutput } from './layer.js';
import { CompileState, type CompileTargets } from './compile-state.js';
import { sampleCount, sliceRows, toTensorList, type TensorOrTensors } from './data-adapter.js';
import { classWeightsToSampleWeights } from './sample-weights.js';
import { Dataset } from '../../data/dataset.js';
import {
  checkBatchSize,
  checkDatasetArgs,
  flattenLayers,
  joinPredictions,
  looksLikeData,
  type BatchArgs,
  type CompileArgs,
  type EvaluateArgs,
  type PredictArgs,
} from './model-args.js';
import { datasetPass, evaluateDataset, fitLoop, type FitArgs } from './training-loop.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { TracedSteps, type StepArgs, type StepKind } from './traced-steps.js';
import { currentGraph } from '../../graph/graph.js';
import { loadWeightsInto, saveModelFile, saveWeightsFile } from '../saving/model-file.js';
import { isHdf5File } from '../saving/hdf5-file.js';
import { loadKerasH5Weights, type LoadH5WeightsOptions } from '../saving/hdf5-weights.js';

/** What a training step computes (traced or eagerly) before the eager optimizer update. */
interface TrainResult {
  total: Tensor;
  perOutput: (Tensor | null)[];
  preds: Tensor[];
  grads: (Tensor | null | undefined)[];
}

/** What an evaluation step computes (traced or eagerly) before the eager metric update. */
interface TestResult {
  total: Tensor;
  perOutput: (Tensor | null)[];
  preds: Tensor[];
}

/**
 * A layer with training: `compile`, `fit`, `evaluate`, `predict`, the `*OnBatch` steps,
 * `summary` and saving. Subclass it and override `call` to write a model imperatively
 * (Keras's subclassing API); `nb.keras.model({inputs, outputs})` and `nb.keras.sequential([...])`
 * build the other two kinds.
 *
 * @example
 * ```ts
 * class MLP extends nb.keras.Model {
 *   hidden = nb.keras.layers.dense({units: 64, activation: 'relu'});
 *   out = nb.keras.layers.dense({units: 10});
 *   override call(x: nb.Tensor) { return this.out.apply(this.hidden.apply(x)); }
 * }
 * const m = new MLP();
 * m.compile({optimizer: 'adam', loss: new nb.keras.losses.SparseCategoricalCrossentropy({fromLogits: true})});
 * ```
 */
export class Model extends Layer {
  static override readonly className: string = 'Model';

  /** The optimizer given to `compile` (null before). */
  optimizer: Optimizer | null = null;
  /** Set by callbacks (e.g. EarlyStopping) to end `fit` after the current epoch. */
  stopTraining = false;
  /** The History of the last `fit`. */
  history: History | null = null;
  /**
   * Keras's `run_eagerly`: when false (the default) `fit`, `evaluate`, `predict` and the
   * `*OnBatch` methods run each batch's tensor computation — forward pass, loss and, in training,
   * the gradients — as a traced `nb.function`, traced once per input shape; the optimizer update
   * and the metrics stay eager, so learning-rate callbacks and schedules take effect at every
   * step. Dropout (also in recurrent layers), GaussianNoise, the image augmentation layers (seeded
   * or not: each traced step draws fresh values, the same as eager steps) and BatchNormalization's
   * moving statistics work traced. A step runs eagerly by itself, with the same results, when a
   * custom layer reports a trace hazard (`Layer.traceHazard`), when its trace throws (a layer,
   * loss or metric reading tensor values in JavaScript), or for a 9th and later batch shape;
   * `traceFallbackReason` says which. As with `tf.function`, other JavaScript side effects in a
   * custom layer's `call` (Math.random, counters, logging) happen only while tracing: declare
   * them with `traceHazard` or set `runEagerly`. `compile({runEagerly})` sets it.
   *
   * @example
   * ```ts
   * model.compile({optimizer: 'adam', loss: 'mse', runEagerly: true}); // op by op, for debugging
   * model.runEagerly = false;                                           // back to traced steps
   * ```
   */
  runEagerly = false;

  protected compileState: CompileState | null = null;
  private trainable_: Variable[] | null = null;
  private constraintsOf_: [Variable, Constraint][] = [];
  private outputCount = 1;
  private readonly steps = new TracedSteps(() => [this as Layer, ...flattenLayers(this)]);

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** The model's direct layers. */
  get layers(): Layer[] {
    return this.sublayers();
  }

  /** Names of the inputs, in the order `fit`/`predict` take them. */
  get inputNames(): string[] {
    return ['input_1'];
  }

  /** Names of the outputs, in the order the model returns them. */
  get outputNames(): string[] {
    return Array.from({ length: this.outputCount }, (_, i) => `output_${i + 1}`);
  }

  /** A layer by name or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = layers[nameOrIndex];
      if (!layer) throw new InvalidArgumentError(`${this.name}.getLayer: index ${nameOrIndex} is out of range; the model has ${layers.length} layers.`);
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (!layer) {
      throw new InvalidArgumentError(`${this.name}.getLayer: no layer named '${nameOrIndex}'; layers are ${layers.map((l) => l.name).join(', ')}.`);
    }
    return layer;
  }

  override call(_inputs: LayerInput, _args: CallArgs = {}): LayerOutput {
    throw new LayerError(`${this.name}: a subclassed Model must override call(inputs, {training}).`);
  }

  // ----- compile ---------------------------------------------------------------------------

  /**
   * Configures training: optimizer, loss (one, per output as a list, or by output name), metrics
   * and loss weights. The weights trainable now are the ones `fit` and `trainOnBatch` update, so
   * freezing a layer after compile needs a new compile (as in Keras).
   */
  compile(args: CompileArgs): void {
    if (!args || typeof args !== 'object') {
      throw new InvalidArgumentError("compile: expected {optimizer, loss, metrics?}, e.g. model.compile({optimizer: 'adam', loss: 'mse'}).");
    }
    CompileState.validate(args);
    this.optimizer = getOptimizer(args.optimizer, `${this.name}.compile`);
    this.compileState = new CompileState(args);
    this.runEagerly = args.runEagerly ?? false;
    this.steps.reset();
    this.trainable_ = null;
    if (this.built) this.snapshotTrainable();
  }

  /** Whether `compile` has been called. */
  get isCompiled(): boolean {
    return this.compileState !== null;
  }

  private requireCompiled(where: string): CompileState {
    if (!this.compileState || !this.optimizer) {
      throw new FailedPreconditionError(
        `${this.name}.${where}: the model is not compiled; call model.compile({optimizer, loss, metrics}) before training or evaluating it.`,
      );
    }
    return this.compileState;
  }

  private snapshotTrainable(): void {
    this.trainable_ = this.trainableWeights;
    this.steps.reset(['train']);
    const constraints: [Variable, Constraint][] = [];
    for (const layer of [this as Layer, ...flattenLayers(this)]) {
      for (const [v, c] of layer.constraints) if (this.trainable_.includes(v)) constraints.push([v, c]);
    }
    this.constraintsOf_ = constraints;
    this.optimizer?.build(this.trainable_);
  }

  /** Names of the figures `trainOnBatch`/`evaluate` report, in order. */
  get metricsNames(): string[] {
    return this.compileState?.metricsNames() ?? [];
  }

  // ----- steps -----------------------------------------------------------------------------

  /** Checks input data against the model's declared inputs (Functional models override). */
  protected validateInputs(_xs: readonly Tensor[], _where: string): void {}

  /** Runs the model on a batch, returning its outputs as a list. */
  protected forward(xs: readonly Tensor[], training: boolean): Tensor[] {
    this.clearCallLosses();
    const out = this.apply(xs.length === 1 ? xs[0]! : [...xs], { training });
    const list = Array.isArray(out) ? out : [out];
    this.outputCount = list.length;
    return list;
  }

  private checkTargets(ys: readonly Tensor[], preds: readonly Tensor[], where: string): void {
    if (ys.length !== preds.length) {
      throw new InvalidArgumentError(`${this.name}.${where}: the model has ${preds.length} outputs but ${ys.length} targets were given.`);
    }
    ys.forEach((y, i) => {
      if (y.shape[0] !== preds[i]!.shape[0]) {
        throw new ShapeError(
          `${this.name}.${where}: target ${i} has ${y.shape[0]} samples but output '${this.outputNames[i]}' has ${preds[i]!.shape[0]}.`,
        );
      }
    });
  }

  private targetsFor(y: TensorOrTensors, where: string): Tensor[] {
    return toTensorList(y, this.outputNames, 'target', `${this.name}.${where}`);
  }

  private sampleWeightsFor(ys: readonly Tensor[], args: BatchArgs): (Tensor | undefined)[] {
    let sw = args.sampleWeight;
    if (args.classWeight) {
      const cw = classWeightsToSampleWeights(ys[0]!, args.classWeight, this.name);
      sw = sw ? ops.mul(sw, cw) : cw;
    }
    return ys.map(() => sw);
  }

  /** One optimisation step on one batch; updates the running metrics; returns the total loss. */
  trainStep(xs: readonly Tensor[], ys: readonly Tensor[], sampleWeights: readonly (Tensor | undefined)[]): number {
    const state = this.requireCompiled('fit');
    this.validateInputs(xs, 'fit');
    if (!this.built) withoutRecording(() => this.forward(xs, false));
    if (this.trainable_ === null) this.snapshotTrainable();
    const variables = this.trainable_!;
    const args = { xs, ys, sampleWeights };
    const traced = this.runEagerly ? null : this.steps.run('train', this.trainBody, args);
    const r = traced ?? this.trainBody(args);
    this.optimizer!.applyGradients(variables.map((v, i) => [r.grads[i] ?? null, v] as const));
    // The optimizer keeps no gradient: the traced step's next call may write into their buffers.
    if (traced !== null) this.steps.recycle('train', r.grads);
    for (const [v, c] of this.constraintsOf_) v.assign(c.apply(v));
    const total = r.total.item() as number;
    withoutRecording(() => state.update(total, r.perOutput, ys, r.preds, sampleWeights, xs[0]?.shape[0] ?? 1));
    return total;
  }

  /** Forward pass, loss and gradients of a training step: run eagerly, or traced by `nb.function`. */
  private readonly trainBody = ({ xs, ys, sampleWeights }: StepArgs): TrainResult => {
    const state = this.compileState!;
    const variables = this.trainable_!;
    const tape = new GradientTape({ watchAccessedVariables: false });
    tape.watch(variables);
    let preds: Tensor[] = [];
    const loss = tape.record(() => {
      preds = this.forward(xs, true);
      state.ensureBuilt(this.outputNames, preds.map((p) => p.shape));
      this.checkTargets(ys, preds, 'fit');
      return state.computeLoss(ys, preds, sampleWeights, this.losses);
    });
    const grads = tape.gradient(loss.total, variables);
    this.forgetTracedLosses();
    return { total: loss.total, perOutput: loss.perOutput, preds, grads };
  };

  /** Loss and metrics on one batch without training; updates the running metrics. */
  testStep(xs: readonly Tensor[], ys: readonly Tensor[], sampleWeights: readonly (Tensor | undefined)[]): number {
    const state = this.requireCompiled('evaluate');
    this.validateInputs(xs, 'evaluate');
    const args = { xs, ys, sampleWeights };
    // An unbuilt model builds in its first (eager) step: weights are not created inside a trace.
    const r = (this.runEagerly || !this.built ? null : this.steps.run('test', this.testBody, args)) ?? this.testBody(args);
    const total = r.total.item() as number;
    withoutRecording(() => state.update(total, r.perOutput, ys, r.preds, sampleWeights, xs[0]?.shape[0] ?? 1));
    return total;
  }

  /** Forward pass and loss of an evaluation step: run eagerly, or traced by `nb.function`. */
  private readonly testBody = ({ xs, ys, sampleWeights }: StepArgs): TestResult =>
    withoutRecording(() => {
      const state = this.compileState!;
      const preds = this.forward(xs, false);
      state.ensureBuilt(this.outputNames, preds.map((p) => p.shape));
      this.checkTargets(ys, preds, 'evaluate');
      const loss = state.computeLoss(ys, preds, sampleWeights, this.losses);
      this.forgetTracedLosses();
      return { total: loss.total, perOutput: loss.perOutput, preds };
    });

  /** The model's outputs on one batch in inference mode: traced unless `runEagerly`. */
  private predictStep(xs: readonly Tensor[]): Tensor[] {
    const args = { xs, ys: [], sampleWeights: [] };
    return (this.runEagerly || !this.built ? null : this.steps.run('predict', this.predictBody, args)) ?? this.predictBody(args);
  }

  private readonly predictBody = ({ xs }: StepArgs): Tensor[] =>
    withoutRecording(() => {
      const out = this.forward(xs, false);
      this.forgetTracedLosses();
      return out;
    });

  /** Drops the graph tensors a trace left as the layers' call losses (eager calls keep theirs). */
  private forgetTracedLosses(): void {
    if (currentGraph() !== null) this.clearCallLosses();
  }

  /**
   * How many times each step function has been traced (TensorFlow's tracing count): one per
   * new input signature, so a fit over equal batches traces its train step once (twice with a
   * smaller last batch). All 0 when the steps run eagerly.
   */
  get tracingCounts(): { train: number; test: number; predict: number } {
    const count = (k: StepKind) => this.steps.function(k)?.tracingCount ?? 0;
    return { train: count('train'), test: count('test'), predict: count('predict') };
  }

  /**
   * Why the last step that was not traced ran eagerly (a layer's trace hazard, or the error that
   * stopped its trace); null when every step so far has been traced or `runEagerly` is set.
   */
  get traceFallbackReason(): string | null {
    return this.runEagerly ? null : this.steps.fallbackReason;
  }

  /** Resets the running loss means and metrics. */
  resetMetrics(): void {
    this.compileState?.reset();
  }

  /** The current loss means and metric values, keys prefixed (e.g. 'val_'). */
  metricResults(prefix = ''): Logs {
    return this.compileState?.results(prefix) ?? {};
  }

  private batchResult(): number | number[] {
    const logs = this.metricResults();
    const values = this.metricsNames.map((k) => logs[k]!);
    return values.length === 1 ? values[0]! : values;
  }

  /**
   * One training step on one batch (Keras `train_on_batch`): returns the loss, or
   * `[loss, ...metrics]` in the order of `metricsNames` when there are metrics.
   */
  trainOnBatch(x: TensorOrTensors, y: TensorOrTensors, args: BatchArgs = {}): number | number[] {
    this.requireCompiled('trainOnBatch');
    const xs = toTensorList(x, this.inputNames, 'input', `${this.name}.trainOnBatch`);
    const ys = this.targetsFor(y, 'trainOnBatch');
    sampleCount([{ label: 'input', tensors: xs }, { label: 'target', tensors: ys }], `${this.name}.trainOnBatch`);
    this.resetMetrics();
    this.trainStep(xs, ys, this.sampleWeightsFor(ys, args));
    return this.batchResult();
  }

  /** Loss (and metrics) on one batch without training (Keras `test_on_batch`). */
  testOnBatch(x: TensorOrTensors, y: TensorOrTensors, args: BatchArgs = {}): number | number[] {
    this.requireCompiled('testOnBatch');
    const xs = toTensorList(x, this.inputNames, 'input', `${this.name}.testOnBatch`);
    const ys = this.targetsFor(y, 'testOnBatch');
    this.resetMetrics();
    this.testStep(xs, ys, this.sampleWeightsFor(ys, args));
    return this.batchResult();
  }

  /** The model's outputs on one batch, in inference mode, without recording on any tape. */
  predictOnBatch(x: TensorOrTensors): Tensor | Tensor[] {
    const xs = toTensorList(x, this.inputNames, 'input', `${this.name}.predictOnBatch`);
    this.validateInputs(xs, 'predictOnBatch');
    const out = this.predictStep(xs);
    return out.length === 1 ? out[0]! : out;
  }

  // ----- loops -----------------------------------------------------------------------------

  /**
   * Trains for `epochs` over `x`/`y` in shuffled batches, with validation and callbacks, and
   * returns the History. Prints Keras's progress bar when `verbose` is 1 (the default).
   * Also takes a `nb.data.Dataset` of `[x, y]` or `[x, y, sampleWeight]` batches in place of
   * `x`/`y`: each epoch is one pass over it, or `stepsPerEpoch` batches.
   *
   * @example
   * ```ts
   * const history = await model.fit(xTrain, yTrain, {epochs: 5, batchSize: 128, validationSplit: 0.1});
   * const ds = nb.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(1000).batch(128);
   * await model.fit(ds, {epochs: 5, validationData: [xVal, yVal]});
   * ```
   */
  fit(x: TensorOrTensors, y: TensorOrTensors, args?: FitArgs): Promise<History>;
  fit(dataset: Dataset<unknown>, args?: FitArgs): Promise<History>;
  async fit(x: TensorOrTensors | Dataset<unknown>, y?: TensorOrTensors | FitArgs, args: FitArgs = {}): Promise<History> {
    this.requireCompiled('fit');
    if (x instanceof Dataset) {
      if (looksLikeData(y)) {
        throw new InvalidArgumentError(`${this.name}.fit: a Dataset already holds the targets; call fit(dataset, {epochs, ...}) without y.`);
      }
      return fitLoop(this, x, null, (y as FitArgs | undefined) ?? {});
    }
    return fitLoop(this, x, y as TensorOrTensors, args);
  }

  /**
   * Loss and metrics over `x`/`y` in batches, as a record (`{loss, accuracy, ...}`). Given a
   * `nb.data.Dataset` of `[x, y]` (or `[x, y, sampleWeight]`) batches it returns a Promise.
   *
   * @example
   * ```ts
   * const {loss, accuracy} = model.evaluate(xTest, yTest, {batchSize: 256});
   * const logs = await model.evaluate(testDataset);
   * ```
   */
  evaluate(x: TensorOrTensors, y: TensorOrTensors, args?: EvaluateArgs): Logs;
  evaluate(dataset: Dataset<unknown>, args?: EvaluateArgs): Promise<Logs>;
  evaluate(x: TensorOrTensors | Dataset<unknown>, y?: TensorOrTensors | EvaluateArgs, args: EvaluateArgs = {}): Logs | Promise<Logs> {
    if (x instanceof Dataset) return this.evaluateOnDataset(x, y);
    this.requireCompiled('evaluate');
    const where = `${this.name}.evaluate`;
    const xs = toTensorList(x, this.inputNames, 'input', where);
    const ys = this.targetsFor(y as TensorOrTensors, 'evaluate');
    const n = sampleCount([{ label: 'input', tensors: xs }, { label: 'target', tensors: ys }], where);
    const batchSize = checkBatchSize(args.batchSize ?? 32, where);
    this.resetMetrics();
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const sw = args.sampleWeight ? sliceRows(args.sampleWeight, start, end) : undefined;
      this.testStep(xs.map((t) => sliceRows(t, start, end)), ys.map((t) => sliceRows(t, start, end)), ys.map(() => sw));
    }
    return this.metricResults();
  }

  /**
   * The model's outputs for `x`, computed in batches in inference mode. Given a
   * `nb.data.Dataset` it returns a Promise; its elements are x batches, or `[x, ...]` arrays whose
   * first item is x (so `[x, y]` training batches work too).
   *
   * @example
   * ```ts
   * const probs = model.predict(xTest) as nb.Tensor; // [n, 10]
   * const fromDs = (await model.predict(testDataset)) as nb.Tensor;
   * ```
   */
  predict(x: TensorOrTensors, args?: PredictArgs): Tensor | Tensor[];
  predict(dataset: Dataset<unknown>, args?: PredictArgs): Promise<Tensor | Tensor[]>;
  predict(x: TensorOrTensors | Dataset<unknown>, args: PredictArgs = {}): Tensor | Tensor[] | Promise<Tensor | Tensor[]> {
    const where = `${this.name}.predict`;
    if (x instanceof Dataset) return this.predictOnDataset(x, args, where);
    const xs = toTensorList(x, this.inputNames, 'input', where);
    const n = sampleCount([{ label: 'input', tensors: xs }], where);
    const batchSize = checkBatchSize(args.batchSize ?? 32, where);
    this.validateInputs(xs, 'predict');
    const parts: Tensor[][] = [];
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      parts.push(this.predictStep(xs.map((t) => sliceRows(t, start, end))));
    }
    return joinPredictions(parts, where);
  }

  private async evaluateOnDataset(ds: Dataset<unknown>, args: unknown): Promise<Logs> {
    this.requireCompiled('evaluate');
    const where = `${this.name}.evaluate`;
    if (looksLikeData(args)) throw new InvalidArgumentError(`${where}: a Dataset already holds the targets; call evaluate(dataset, {steps?}) without y.`);
    const steps = checkDatasetArgs((args as EvaluateArgs | undefined) ?? {}, where);
    return evaluateDataset(this, ds, steps, where);
  }

  private async predictOnDataset(ds: Dataset<unknown>, args: PredictArgs, where: string): Promise<Tensor | Tensor[]> {
    const steps = checkDatasetArgs(args, where);
    const parts: Tensor[][] = [];
    for await (const { xs } of datasetPass(this, ds, steps, false, where)) {
      this.validateInputs(xs, 'predict');
      parts.push(this.predictStep(xs));
    }
    return joinPredictions(parts, where);
  }

  // ----- inspection and saving ----------------------------------------------------------------

  /**
   * Prints the Keras summary table: each layer with its output shape and parameter count, then
   * total, trainable and non-trainable parameters.
   */
  summary(options: SummaryOptions = {}): string {
    return printSummary(this, options);
  }

  /**
   * Saves architecture, weights and optimizer state to one file (see docs/FORMATS.md). The write
   * is atomic: the file appears complete or the previous one stays.
   *
   * @example
   * ```ts
   * model.save('mnist.nabla');
   * const again = nb.keras.loadModel('mnist.nabla');
   * ```
   */
  save(path: string): void {
    saveModelFile(this, path);
  }

  /** Saves only the weights (atomic), in the order of `weights`. */
  saveWeights(path: string): void {
    saveWeightsFile(this, path);
  }

  /**
   * Loads weights saved by `saveWeights` or `save` (shapes must match, by order), or a Keras HDF5
   * weight file (`.h5`, `.weights.h5`; matched by layer name, see `loadKerasH5Weights`). nabla
   * files load synchronously (the returned promise is already settled); await HDF5 files.
   *
   * @example
   * ```ts
   * model.loadWeights('w.nabla');
   * await model.loadWeights('keras_model.weights.h5');
   * ```
   */
  loadWeights(path: string, options: LoadH5WeightsOptions = {}): Promise<void> {
    if (isHdf5File(path)) return loadKerasH5Weights(this, path, options);
    loadWeightsInto(this, path);
    return Promise.resolve();
  }

  /** Internal: the weights the optimizer updates (fixed at compile). */
  get compiledTrainableWeights(): Variable[] | null {
    return this.trainable_;
  }

  /** Internal: the compile configuration (for saving). */
  get compileConfig(): CompileTargets | null {
    return this.compileState?.spec ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }
}
