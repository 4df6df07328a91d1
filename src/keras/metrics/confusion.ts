// Confusion-matrix metrics (Precision, Recall, TruePositives, ..., AUC), as tf.keras.metrics:
// a prediction counts as positive when it is > threshold, a label when it is non-zero.
// Predictions must be probabilities in [0, 1] (Keras asserts this too).
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Metric, expandWeights } from './base.js';
import { pairShape } from './functions.js';

interface Visit {
  (label: number, pred: number, weight: number): void;
}

/** Calls `visit` for each (label, prediction, weight) element, checking predictions are in [0, 1]. */
export function forEachElement(
  metric: string,
  yTrue: Tensor,
  yPred: Tensor,
  sampleWeight: Tensor | undefined,
  classId: number | undefined,
  fromLogits: boolean,
  visit: Visit,
): void {
  const shape = pairShape(metric, yTrue, yPred);
  const w = expandWeights(metric, sampleWeight, shape);
  const t = yTrue.values;
  const p = yPred.values;
  const last = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  if (classId !== undefined && !(Number.isInteger(classId) && classId >= 0 && classId < last)) {
    throw new InvalidArgumentError(`${metric}: classId ${classId} is outside [0, ${last}) for predictions of shape [${shape.join(', ')}].`);
  }
  for (let i = classId ?? 0; i < p.length; i += classId === undefined ? 1 : last) {
    let pred = p[i]!;
    if (fromLogits) pred = 1 / (1 + Math.exp(-pred));
    if (!(pred >= 0 && pred <= 1)) {
      throw new InvalidArgumentError(
        `${metric}: predictions must be probabilities in [0, 1], got ${pred} at flat index ${i}; apply a sigmoid/softmax to logits (or pass fromLogits where supported).`,
      );
    }
    visit(t[i]!, pred, w === null ? 1 : w[i]!);
  }
}

export function checkThreshold(metric: string, threshold: number): void {
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidArgumentError(`${metric}: thresholds must be in [0, 1], got ${threshold}.`);
}

export interface ConfusionArgs {
  name?: string;
  /** Predictions above it count as positive (default 0.5). */
  thresholds?: number;
  /** Only this class (index along the last axis) is counted. */
  classId?: number;
}

/** Shared state: weighted tp, fp, tn, fn at one threshold. */
abstract class ConfusionMetric extends Metric {
  readonly thresholds: number;
  readonly classId: number | undefined;
  protected tp = 0;
  protected fp = 0;
  protected tn = 0;
  protected fn = 0;

  constructor(defaultName: string, args: ConfusionArgs) {
    super(args.name ?? defaultName);
    this.thresholds = args.thresholds ?? 0.5;
    this.classId = args.classId;
    if (Array.isArray(this.thresholds)) {
      throw new InvalidArgumentError(`${this.name}: give one threshold (a number); create one metric per threshold.`);
    }
    checkThreshold(this.name, this.thresholds);
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const thr = this.thresholds;
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    forEachElement(this.name, yTrue, yPred, sampleWeight, this.classId, false, (label, pred, w) => {
      const pos = pred > thr;
      if (label !== 0) {
        if (pos) tp += w;
        else fn += w;
      } else if (pos) fp += w;
      else tn += w;
    });
    this.tp += tp;
    this.fp += fp;
    this.tn += tn;
    this.fn += fn;
  }

  resetState(): void {
    this.tp = this.fp = this.tn = this.fn = 0;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.thresholds, ...(this.classId === undefined ? {} : { classId: this.classId }) };
  }
}

/** tp / (tp + fp) (0 when nothing was predicted positive). */
export class Precision extends ConfusionMetric {
  static override readonly className: string = 'Precision';
  constructor(args: ConfusionArgs = {}) {
    super('precision', args);
  }
  result(): number {
    const d = this.tp + this.fp;
    return d === 0 ? 0 : this.tp / d;
  }
}

/** tp / (tp + fn) (0 when there were no positive labels). */
export class Recall extends ConfusionMetric {
  static override readonly className: string = 'Recall';
  constructor(args: ConfusionArgs = {}) {
    super('recall', args);
  }
  result(): number {
    const d = this.tp + this.fn;
    return d === 0 ? 0 : this.tp / d;
  }
}

/** Weighted count of true positives. */
export class TruePositives extends ConfusionMetric {
  static override readonly className: string = 'TruePositives';
  constructor(args: ConfusionArgs = {}) {
    super('true_positives', args);
  }
  result(): number {
    return this.tp;
  }
}

/** Weighted count of false positives. */
export class FalsePositives extends ConfusionMetric {
  static override readonly className: string = 'FalsePositives';
  constructor(args: ConfusionArgs = {}) {
    super('false_positives', args);
  }
  result(): number {
    return this.fp;
  }
}

/** Weighted count of true negatives. */
export class TrueNegatives extends ConfusionMetric {
  static override readonly className: string = 'TrueNegatives';
  constructor(args: ConfusionArgs = {}) {
    super('true_negatives', args);
  }
  result(): number {
    return this.tn;
  }
}

/** Weighted count of false negatives. */
export class FalseNegatives extends ConfusionMetric {
  static override readonly className: string = 'FalseNegatives';
  constructor(args: ConfusionArgs = {}) {
    super('false_negatives', args);
  }
  result(): number {
    return this.fn;
  }
}
