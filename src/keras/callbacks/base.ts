import type { Model } from '../engine/model.js';

/** Figures of a batch or an epoch: loss, metrics, `val_*` figures, learning rate. */
export type Logs = Record<string, number>;

/** What `fit` tells callbacks about the run. */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch (null when unknown, e.g. a dataset without a known size). */
  steps: number | null;
  samples: number | null;
  batchSize: number | null;
  verbose: number;
  /** Names of the figures reported, in order (loss, metrics, val_*). */
  metrics: string[];
}

type Hook = Promise<void> | void;

/**
 * Hooks into `fit`, `evaluate` and `predict`, like `keras.callbacks.Callback`. Override the
 * methods you need; each may be async. `this.model` is set before training begins.
 *
 * @example
 * ```ts
 * class PrintLoss extends nb.keras.callbacks.Callback {
 *   override onEpochEnd(epoch: number, logs: nb.keras.callbacks.Logs) { console.log(epoch, logs.loss); }
 * }
 * await model.fit(x, y, {epochs: 3, callbacks: [new PrintLoss()]});
 * ```
 */
export class Callback {
  model!: Model;
  params: TrainingParams = { epochs: 0, steps: null, samples: null, batchSize: null, verbose: 0, metrics: [] };

  setModel(model: Model): void {
    this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onTrainBegin(_logs: Logs = {}): Hook {}
  onTrainEnd(_logs: Logs = {}): Hook {}
  onEpochBegin(_epoch: number, _logs: Logs = {}): Hook {}
  onEpochEnd(_epoch: number, _logs: Logs = {}): Hook {}
  onTrainBatchBegin(_batch: number, _logs: Logs = {}): Hook {}
  onTrainBatchEnd(_batch: number, _logs: Logs = {}): Hook {}
  onTestBegin(_logs: Logs = {}): Hook {}
  onTestEnd(_logs: Logs = {}): Hook {}
  onTestBatchBegin(_batch: number, _logs: Logs = {}): Hook {}
  onTestBatchEnd(_batch: number, _logs: Logs = {}): Hook {}
  onPredictBegin(_logs: Logs = {}): Hook {}
  onPredictEnd(_logs: Logs = {}): Hook {}
  onPredictBatchBegin(_batch: number, _logs: Logs = {}): Hook {}
  onPredictBatchEnd(_batch: number, _logs: Logs = {}): Hook {}
}

type HookName = {
  [K in keyof Callback]: Callback[K] extends (...args: never[]) => Hook ? K : never;
}[keyof Callback];

/** Calls a hook on every callback in order, awaiting async ones. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }

  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  async call(hook: Exclude<HookName, 'setModel' | 'setParams'>, ...args: [number, Logs?] | [Logs?]): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as (...a: unknown[]) => Hook;
      const result = fn.apply(c, args);
      if (result instanceof Promise) await result;
    }
  }
}
