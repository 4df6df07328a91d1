import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { Dataset, INFINITE } from '../../data/dataset.js';
import * as ops from '../../ops/index.js';
import { Callback, CallbackList, type Logs, type TrainingParams } from '../callbacks/base.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar.js';
import { gatherRows, permutation, sampleCount, sliceRows, toTensorList, type TensorOrTensors } from './data-adapter.js';
import type { Model } from './model.js';
import { checkBatchSize } from './model-args.js';
import { classWeightsToSampleWeights } from './sample-weights.js';

export interface FitArgs {
  /** Samples per gradient step (default 32; not for a Dataset, which is batched already). */
  batchSize?: number;
  epochs?: number;
  /** 0 silent, 1 progress bar (one line per epoch when not a terminal), 2 one line per epoch. */
  verbose?: number;
  callbacks?: Callback[];
  /** Fraction of the data (the last samples, before shuffling) held out for validation. */
  validationSplit?: number;
  /** `[x, y]`, `[x, y, sampleWeight]` or a Dataset of such batches to validate on after each epoch. */
  validationData?: [TensorOrTensors, TensorOrTensors] | [TensorOrTensors, TensorOrTensors, Tensor] | Dataset<unknown>;
  validationBatchSize?: number;
  /** Batches of a validation Dataset to use each time (default: all; needed for an infinite one). */
  validationSteps?: number;
  /**
   * Batches per epoch when training on a Dataset (default: one full pass). When given, one pass
   * over the dataset continues across epochs (use `repeat()`), as in Keras; needed for an
   * infinite dataset.
   */
  stepsPerEpoch?: number;
  /** Shuffle the training samples before each epoch (default true; follows nb.setSeed; a Dataset shuffles itself). */
  shuffle?: boolean;
  /** Weight of each class in the loss, `{classIndex: weight}`. */
  classWeight?: Record<number, number>;
  /** Weight of each training sample in the loss, shape [n]. */
  sampleWeight?: Tensor;
  /** Epoch to start from (for resuming: epochs counted from here up to `epochs`). */
  initialEpoch?: number;
}

interface Split {
  xs: Tensor[];
  ys: Tensor[];
  sw: Tensor | undefined;
}

/** Batches of one epoch, pulled one at a time. */
type Batches = Iterator<Split> | AsyncIterator<Split>;

/** What `fit` trains on: its size (for callbacks) and the batches of each epoch. */
interface TrainData {
  params: Pick<TrainingParams, 'steps' | 'samples' | 'batchSize'>;
  /** The batches of an epoch; `persistent` when one iterator runs across epochs. */
  batches(): Batches;
  persistent: boolean;
}

function splitForValidation(data: Split, n: number, fraction: number, where: string): [Split, Split] {
  if (!(fraction > 0 && fraction < 1)) {
    throw new InvalidArgumentError(`${where}: validationSplit must be in (0, 1), got ${fraction}.`);
  }
  const cut = Math.floor(n * (1 - fraction));
  if (cut === 0 || cut === n) {
    throw new InvalidArgumentError(`${where}: validationSplit=${fraction} of ${n} samples leaves an empty training or validation set.`);
  }
  const part = (a: number, b: number): Split => ({
    xs: data.xs.map((t) => sliceRows(t, a, b)),
    ys: data.ys.map((t) => sliceRows(t, a, b)),
    sw: data.sw ? sliceRows(data.sw, a, b) : undefined,
  });
  return [part(0, cut), part(cut, n)];
}

function checkSteps(value: number | undefined, name: string, where: string): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new InvalidArgumentError(`${where}: ${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * One Dataset element as a batch: `[x, y]` or `[x, y, sampleWeight]` (x and y as the tensor
 * forms accept: a tensor, an array, or a record keyed by input/output names). For `predict`
 * (`targets` false) a Tensor or record is x itself, and an array's first item is x.
 */
export function unpackElement(model: Model, el: unknown, index: number, targets: boolean, where: string): Split {
  const what = targets ? '[x, y] or [x, y, sampleWeight]' : 'x, [x] or [x, y]';
  const isArray = Array.isArray(el);
  if (isArray ? el.length < (targets ? 2 : 1) || el.length > 3 : targets || el === null || typeof el !== 'object') {
    const got = isArray ? `an array of ${el.length}` : el instanceof Tensor ? 'a single Tensor' : String(el);
    throw new InvalidArgumentError(`${where}: dataset elements must be ${what} batches, but element ${index} is ${got}; map the dataset to that form, e.g. ds.map((e) => [e.x, e.y]).`);
  }
  const parts = isArray ? el : [el];
  const at = `${where} (dataset element ${index})`;
  const xs = toTensorList(parts[0] as TensorOrTensors, model.inputNames, 'input', at);
  const ys = targets ? toTensorList(parts[1] as TensorOrTensors, model.outputNames, 'target', at) : [];
  const sw = targets ? parts[2] : undefined;
  if (sw !== undefined && !(sw instanceof Tensor)) throw new InvalidArgumentError(`${at}: sampleWeight must be a Tensor, got ${String(sw)}.`);
  for (const t of [...xs, ...ys]) {
    if (t.rank === 0) throw new ShapeError(`${at}: holds a scalar where a batch is needed; batch the dataset first, e.g. ds.batch(32).`);
  }
  try {
    sampleCount([{ label: 'input', tensors: xs }, { label: 'target', tensors: ys }, { label: 'sampleWeight', tensors: sw ? [sw] : [] }], at);
  } catch (e) {
    // Unbatched elements usually show up as this mismatch (a row's features against one label).
    if (e instanceof ShapeError) throw new ShapeError(`${e.message} If the dataset is not batched, batch it first, e.g. ds.batch(32).`);
    throw e;
  }
  return { xs, ys, sw };
}

/** The elements of `iter` unpacked as batches (class weights folded into the sample weights); closes `iter` when done. */
async function* datasetBatches(model: Model, iter: AsyncIterator<unknown>, targets: boolean, where: string, classWeight?: Record<number, number>): AsyncGenerator<Split> {
  try {
    for (let i = 0; ; i++) {
      const r = await iter.next();
      if (r.done) return;
      const b = unpackElement(model, r.value, i, targets, where);
      if (classWeight) {
        const cw = classWeightsToSampleWeights(b.ys[0]!, classWeight, model.name);
        b.sw = b.sw ? ops.mul(b.sw, cw) : cw;
      }
      yield b;
    }
  } finally {
    await iter.return?.();
  }
}

/** The batches of a Dataset for `evaluate`/`predict`/validation: one pass, or `steps` batches. */
export async function* datasetPass(model: Model, ds: Dataset<unknown>, steps: number | undefined, targets: boolean, where: string): AsyncGenerator<Split> {
  if (steps === undefined && ds.cardinality() === INFINITE) {
    throw new InvalidArgumentError(`${where}: the dataset is infinite (cardinality -1); give steps (validationSteps in fit) or take(n) from it.`);
  }
  let i = 0;
  for await (const b of datasetBatches(model, ds[Symbol.asyncIterator](), targets, where)) {
    yield b;
    if (++i === steps) return;
  }
}

/** Loss and metrics over a Dataset (keys prefixed, e.g. 'val_'); metrics are reset before. */
export async function evaluateDataset(model: Model, ds: Dataset<unknown>, steps: number | undefined, where: string, prefix = ''): Promise<Logs> {
  model.resetMetrics();
  let n = 0;
  for await (const b of datasetPass(model, ds, steps, true, where)) {
    model.testStep(b.xs, b.ys, b.ys.map(() => b.sw));
    n++;
  }
  if (n === 0) throw new InvalidArgumentError(`${where}: the dataset yielded no batches.`);
  return model.metricResults(prefix);
}

function tensorTrainData(model: Model, x: TensorOrTensors, y: TensorOrTensors, args: FitArgs, where: string): [TrainData, Split | null] {
  const batchSize = checkBatchSize(args.batchSize ?? 32, where);
  let train: Split = {
    xs: toTensorList(x, model.inputNames, 'input', where),
    ys: toTensorList(y, model.outputNames, 'target', where),
    sw: args.sampleWeight,
  };
  const n0 = sampleCount([{ label: 'input', tensors: train.xs }, { label: 'target', tensors: train.ys }, { label: 'sampleWeight', tensors: train.sw ? [train.sw] : [] }], where);
  if (n0 === 0) throw new InvalidArgumentError(`${where}: the training data has 0 samples.`);
  if (args.classWeight) {
    const cw = classWeightsToSampleWeights(train.ys[0]!, args.classWeight, model.name);
    train.sw = train.sw ? ops.mul(train.sw, cw) : cw;
  }
  let validation: Split | null = null;
  if (args.validationSplit !== undefined && args.validationSplit !== 0 && !args.validationData) {
    [train, validation] = splitForValidation(train, n0, args.validationSplit, where);
  }
  const data = train;
  const n = data.xs[0]!.shape[0]!;
  const steps = Math.ceil(n / batchSize);
  function* batches(): Generator<Split> {
    const order = args.shuffle === false ? null : permutation(n);
    for (let step = 0; step < steps; step++) {
      const start = step * batchSize;
      const end = Math.min(n, start + batchSize);
      const take = (t: Tensor): Tensor => (order ? gatherRows(t, order.subarray(start, end)) : sliceRows(t, start, end));
      yield { xs: data.xs.map(take), ys: data.ys.map(take), sw: data.sw ? take(data.sw) : undefined };
    }
  }
  return [{ params: { steps, samples: n, batchSize }, batches, persistent: false }, validation];
}

function datasetTrainData(model: Model, ds: Dataset<unknown>, args: FitArgs, where: string): TrainData {
  for (const key of ['batchSize', 'validationSplit', 'sampleWeight'] as const) {
    if (args[key] !== undefined) {
      throw new InvalidArgumentError(`${where}: ${key} cannot be used with a Dataset; batch, split or weight the dataset itself (ds.batch(n), ds.take/skip, or [x, y, sampleWeight] elements).`);
    }
  }
  const stepsPerEpoch = checkSteps(args.stepsPerEpoch, 'stepsPerEpoch', where);
  const size = ds.cardinality();
  if (stepsPerEpoch === undefined && size === INFINITE) {
    throw new InvalidArgumentError(`${where}: the dataset is infinite (cardinality -1), so an epoch never ends; give stepsPerEpoch.`);
  }
  const fresh = (): Batches => datasetBatches(model, ds[Symbol.asyncIterator](), true, where, args.classWeight);
  let shared: Batches | null = null;
  return {
    params: { steps: stepsPerEpoch ?? (size >= 0 ? size : null), samples: null, batchSize: null },
    batches: stepsPerEpoch === undefined ? fresh : () => (shared ??= fresh()),
    persistent: stepsPerEpoch !== undefined,
  };
}

/** The body of `Model.fit`, for tensors (`x`, `y`) or a Dataset of batches (`y` null). */
export async function fitLoop(model: Model, x: TensorOrTensors | Dataset<unknown>, y: TensorOrTensors | null, args: FitArgs): Promise<History> {
  const where = `${model.name}.fit`;
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new InvalidArgumentError(`${where}: epochs must be a positive integer, got ${String(epochs)}.`);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new InvalidArgumentError(`${where}: initialEpoch must be a non-negative integer, got ${String(initialEpoch)}.`);
  }
  const verbose = args.verbose ?? 1;
  const validationSteps = checkSteps(args.validationSteps, 'validationSteps', where);

  let data: TrainData;
  let validation: Split | null = null;
  if (x instanceof Dataset) {
    data = datasetTrainData(model, x, args, where);
  } else {
    [data, validation] = tensorTrainData(model, x, y!, args, where);
  }
  let validate: (() => Logs | Promise<Logs>) | null = null;
  const vd = args.validationData;
  if (vd instanceof Dataset) {
    validate = () => evaluateDataset(model, vd, validationSteps, `${where} (validationData)`, 'val_');
  } else if (vd) {
    const [vx, vy, vsw] = vd;
    validation = { xs: toTensorList(vx, model.inputNames, 'input', `${where} (validationData)`), ys: toTensorList(vy, model.outputNames, 'target', `${where} (validationData)`), sw: vsw };
  }
  if (validation) {
    const v = validation;
    const batchSize = args.validationBatchSize ?? data.params.batchSize ?? 32;
    validate = () => evaluateSplit(model, v, batchSize);
  }

  const history = new History();
  // As in Keras: user callbacks first (they may add figures such as 'lr'), then History, then the bar.
  const list: Callback[] = [...(args.callbacks ?? []), history];
  if (verbose > 0) list.push(new ProgbarLogger());
  const callbacks = new CallbackList(list);
  callbacks.setModel(model);
  model.history = history;
  model.stopTraining = false;
  let params: TrainingParams = { epochs, ...data.params, verbose, metrics: model.metricsNames };
  callbacks.setParams(params);

  let iter: Batches | null = null;
  try {
    await callbacks.call('onTrainBegin', {});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      model.resetMetrics();
      await callbacks.call('onEpochBegin', epoch, {});
      iter = data.batches();
      const limit = data.params.steps;
      let step = 0;
      for (; limit === null || step < limit; step++) {
        const next = await iter.next();
        if (next.done) break;
        const b = next.value;
        await callbacks.call('onTrainBatchBegin', step, { batch: step, size: b.xs[0]!.shape[0]! });
        model.trainStep(b.xs, b.ys, b.ys.map(() => b.sw));
        await callbacks.call('onTrainBatchEnd', step, model.metricResults());
        if (model.stopTraining) break;
      }
      if (step === 0 && !model.stopTraining) {
        throw new InvalidArgumentError(`${where}: the training data ran out: epoch ${epoch + 1} got no batches${data.persistent ? '; with stepsPerEpoch, repeat() the dataset so it lasts stepsPerEpoch x epochs batches' : ''}.`);
      }
      if (data.persistent && limit !== null && step < limit && !model.stopTraining) {
        process.emitWarning(`${where}: the dataset ran out after ${step} of ${limit} steps in epoch ${epoch + 1}; training stops. repeat() the dataset so it lasts stepsPerEpoch x epochs batches.`);
        model.stopTraining = true;
      }
      if (!data.persistent) {
        await iter.return?.();
        iter = null;
      }
      if (params.steps === null) {
        // Now the size is known (as Keras learns it after the first epoch of a dataset).
        params = { ...params, steps: step };
        callbacks.setParams(params);
      }
      const logs: Logs = model.metricResults();
      if (validate) Object.assign(logs, await validate());
      await callbacks.call('onEpochEnd', epoch, logs);
    }
    await callbacks.call('onTrainEnd', {});
  } finally {
    await iter?.return?.();
  }
  return history;
}

function evaluateSplit(model: Model, data: Split, batchSize: number): Logs {
  const n = data.xs[0]!.shape[0]!;
  model.resetMetrics();
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const sw = data.sw ? sliceRows(data.sw, start, end) : undefined;
    model.testStep(data.xs.map((t) => sliceRows(t, start, end)), data.ys.map((t) => sliceRows(t, start, end)), data.ys.map(() => sw));
  }
  const logs = model.metricResults('val_');
  model.resetMetrics();
  return logs;
}
