// Metric base classes. Metrics are stateful running figures computed with plain loops over the
// tensors' arrays: they never run ops or record on a tape, so they are cheap to update per batch.
import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape, sizeOfShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

/**
 * Base class of Keras metrics: `updateState` per batch, `result()` for the running value,
 * `resetState()` between epochs.
 *
 * @example
 * ```ts
 * const acc = new nb.keras.metrics.CategoricalAccuracy();
 * acc.updateState(yTrue, yPred);
 * acc.result();   // 0.75
 * ```
 */
export abstract class Metric {
  static readonly className: string = 'Metric';
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  abstract result(): number;
  abstract resetState(): void;

  /** Alias of `resetState()`. */
  reset(): void {
    this.resetState();
  }

  /** The Keras class name ('CategoricalAccuracy', ...). */
  getClassName(): string {
    return (this.constructor as typeof Metric).className;
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/**
 * Per-element weights for values of shape `shape` (null when there are no weights). Weights
 * broadcast as in Keras: a scalar, the values' shape, or a leading prefix of it ([batch] weights
 * for [batch, ...] values); trailing 1s in the weights are ignored.
 */
export function expandWeights(metric: string, weight: Tensor | undefined, shape: readonly number[]): Float64Array | null {
  if (weight === undefined || weight === null) return null;
  if (!(weight instanceof Tensor)) {
    throw new InvalidArgumentError(`${metric}: sampleWeight must be a tensor, got ${typeof weight}.`);
  }
  const n = sizeOfShape(shape);
  const w = weight.values;
  const out = new Float64Array(n);
  if (weight.size === 1) {
    out.fill(w[0]!);
    return out;
  }
  const ws = [...weight.shape];
  while (ws.length > 0 && ws[ws.length - 1] === 1) ws.pop();
  const prefix = ws.length <= shape.length && ws.every((d, i) => d === shape[i]);
  if (!prefix) {
    if (n === 1) {
      // A single value (a per-batch scalar) broadcast against several weights, as Keras does.
      let s = 0;
      for (let i = 0; i < w.length; i++) s += w[i]!;
      out[0] = s;
      return out;
    }
    throw new ShapeError(
      `${metric}: sampleWeight has shape ${formatShape(weight.shape)}, which does not broadcast to the values ${formatShape(shape)}; give one weight per sample (shape [batch]).`,
    );
  }
  const inner = n / Math.max(1, sizeOfShape(ws));
  for (let i = 0; i < n; i++) out[i] = w[Math.floor(i / inner)]!;
  return out;
}

/** A weighted running mean of values (Keras `Mean`). */
export class Mean extends Metric {
  static override readonly className: string = 'Mean';
  protected total = 0;
  protected count = 0;

  constructor(args: { name?: string } = {}) {
    super(args.name ?? 'mean');
  }

  /** Adds `values` (a tensor or numbers), optionally weighted. */
  override updateState(values: Tensor | number | readonly number[], sampleWeight?: Tensor): void {
    const t = values instanceof Tensor ? values : new Tensor(typeof values === 'number' ? [] : [values.length], 'float32', Float32Array.from(typeof values === 'number' ? [values] : values));
    this.accumulate(t.values, t.shape, sampleWeight);
  }

  /** Adds per-element `values` of `shape` with Keras' weight broadcasting. */
  protected accumulate(values: ArrayLike<number>, shape: readonly number[], sampleWeight?: Tensor): void {
    const w = expandWeights(this.name, sampleWeight, shape);
    let total = 0;
    let count = 0;
    if (w === null) {
      for (let i = 0; i < values.length; i++) total += values[i]!;
      count = values.length;
    } else {
      for (let i = 0; i < values.length; i++) {
        total += values[i]! * w[i]!;
        count += w[i]!;
      }
    }
    this.total += total;
    this.count += count;
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}

/** A per-sample metric function `(yTrue, yPred) => values`. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * The weighted mean of a per-sample function's values (Keras `MeanMetricWrapper`).
 *
 * @example `new MeanMetricWrapper(nb.keras.metrics.binaryAccuracy, {name: 'acc'})`
 */
export class MeanMetricWrapper extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  constructor(
    readonly fn: MetricFn,
    args: { name?: string } = {},
  ) {
    super({ name: args.name ?? (fn.name || 'metric') });
  }

  override updateState(yTrue: Tensor | number | readonly number[], yPred?: Tensor, sampleWeight?: Tensor): void {
    if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
      throw new InvalidArgumentError(`${this.name}.updateState: expected (yTrue, yPred[, sampleWeight]) tensors.`);
    }
    const values = this.fn(yTrue, yPred);
    this.accumulate(values.values, values.shape, sampleWeight);
  }
}

/** 'categoricalAccuracy' / 'CategoricalAccuracy' / 'categorical_accuracy' → 'categoricalaccuracy'. */
export function squashName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}
