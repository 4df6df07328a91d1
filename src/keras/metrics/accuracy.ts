// Accuracy metrics: running weighted means of the per-sample functions in functions.ts.
import { MeanMetricWrapper } from './base.js';
import {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
} from './functions.js';

/** How often predictions equal labels exactly. */
export class Accuracy extends MeanMetricWrapper {
  static override readonly className: string = 'Accuracy';
  constructor(args: { name?: string } = {}) {
    super(accuracy, { name: args.name ?? 'accuracy' });
  }
}

/** How often (prediction > threshold) matches 0/1 labels. */
export class BinaryAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(args: { name?: string; threshold?: number } = {}) {
    const threshold = args.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), { name: args.name ?? 'binary_accuracy' });
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** How often argMax of the predictions matches argMax of one-hot labels. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalAccuracy';
  constructor(args: { name?: string } = {}) {
    super(categoricalAccuracy, { name: args.name ?? 'categorical_accuracy' });
  }
}

/** How often argMax of the predictions matches integer labels. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalAccuracy';
  constructor(args: { name?: string } = {}) {
    super(sparseCategoricalAccuracy, { name: args.name ?? 'sparse_categorical_accuracy' });
  }
}

/** How often the one-hot label's class is among the top k predictions (k = 5). */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    const k = args.k ?? 5;
    super((t, p) => topKCategoricalAccuracy(t, p, k), { name: args.name ?? 'top_k_categorical_accuracy' });
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}

/** How often the integer label is among the top k predictions (k = 5). */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    const k = args.k ?? 5;
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), { name: args.name ?? 'sparse_top_k_categorical_accuracy' });
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}
