import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import { Callback, CallbackList, type Logs } from '../callbacks/base.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar.js';
import { gatherRows, permutation, sampleCount, sliceRows, toTensorList, type TensorOrTensors } from './data-adapter.js';
import type { Model } from './model.js';
import { checkBatchSize } from './model.js';
import { classWeightsToSampleWeights } from './sample-weights.js';

export interface FitArgs {
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  epochs?: number;
  /** 0 silent, 1 progress bar (one line per epoch when not a terminal), 2 one line per epoch. */
  verbose?: number;
  callbacks?: Callback[];
  /** Fraction of the data (the last samples, before shuffling) held out for validation. */
  validationSplit?: number;
  /** `[x, y]` or `[x, y, sampleWeight]` to validate on after each epoch. */
  validationData?: [TensorOrTensors, TensorOrTensors] | [TensorOrTensors, TensorOrTensors, Tensor];
  validationBatchSize?: number;
  /** Shuffle the training samples before each epoch (default true; follows nb.setSeed). */
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

/** The body of `Model.fit`. */
export async function fitLoop(model: Model, x: TensorOrTensors, y: TensorOrTensors, args: FitArgs): Promise<History> {
  const where = `${model.name}.fit`;
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new InvalidArgumentError(`${where}: epochs must be a positive integer, got ${String(epochs)}.`);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new InvalidArgumentError(`${where}: initialEpoch must be a non-negative integer, got ${String(initialEpoch)}.`);
  }
  const batchSize = checkBatchSize(args.batchSize ?? 32, where);
  const verbose = args.verbose ?? 1;

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
  if (args.validationData) {
    const [vx, vy, vsw] = args.validationData;
    validation = { xs: toTensorList(vx, model.inputNames, 'input', `${where} (validationData)`), ys: toTensorList(vy, model.outputNames, 'target', `${where} (validationData)`), sw: vsw };
  } else if (args.validationSplit !== undefined && args.validationSplit !== 0) {
    [train, validation] = splitForValidation(train, n0, args.validationSplit, where);
  }
  const n = train.xs[0]!.shape[0]!;
  const steps = Math.ceil(n / batchSize);

  const history = new History();
  // As in Keras: user callbacks first (they may add figures such as 'lr'), then History, then the bar.
  const list: Callback[] = [...(args.callbacks ?? []), history];
  if (verbose > 0) list.push(new ProgbarLogger());
  const callbacks = new CallbackList(list);
  callbacks.setModel(model);
  model.history = history;
  model.stopTraining = false;
  callbacks.setParams({ epochs, steps, samples: n, batchSize, verbose, metrics: model.metricsNames });

  await callbacks.call('onTrainBegin', {});
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    model.resetMetrics();
    await callbacks.call('onEpochBegin', epoch, {});
    const order = args.shuffle === false ? null : permutation(n);
    for (let step = 0; step < steps; step++) {
      const start = step * batchSize;
      const end = Math.min(n, start + batchSize);
      await callbacks.call('onTrainBatchBegin', step, { batch: step, size: end - start });
      const take = (t: Tensor): Tensor => (order ? gatherRows(t, order.subarray(start, end)) : sliceRows(t, start, end));
      const sw = train.sw ? take(train.sw) : undefined;
      model.trainStep(train.xs.map(take), train.ys.map(take), train.ys.map(() => sw));
      await callbacks.call('onTrainBatchEnd', step, model.metricResults());
      if (model.stopTraining) break;
    }
    const logs: Logs = model.metricResults();
    if (validation) {
      Object.assign(logs, evaluateSplit(model, validation, args.validationBatchSize ?? batchSize));
    }
    await callbacks.call('onEpochEnd', epoch, logs);
  }
  await callbacks.call('onTrainEnd', {});
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
