// numericColumn and bucketizedColumn.
import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import { rawFeature, type FeatureRecord } from './raw.js';
import type { CategoricalColumn, DenseColumn } from './types.js';

/** Options of `numericColumn`. */
export interface NumericColumnOptions {
  /** Values per example (default 1). */
  shape?: number;
  /** Applied to the [batch, shape] float32 tensor, e.g. `(x) => nb.div(nb.sub(x, mean), std)`. */
  normalizer?: (x: Tensor) => Tensor;
}

/** A real-valued feature. */
export class NumericColumn implements DenseColumn {
  readonly kind = 'dense' as const;
  readonly shape: number;
  readonly normalizer: ((x: Tensor) => Tensor) | undefined;
  constructor(readonly key: string, options: NumericColumnOptions = {}) {
    this.shape = options.shape ?? 1;
    if (!Number.isInteger(this.shape) || this.shape < 1) {
      throw new InvalidArgumentError(`numericColumn '${key}': shape must be a positive integer, got ${this.shape}.`);
    }
    this.normalizer = options.normalizer;
  }
  get name(): string {
    return this.key;
  }
  get dimension(): number {
    return this.shape;
  }
  /** The raw values as float32 [batch, shape], before the normalizer. */
  rawTensor(features: FeatureRecord): Tensor {
    const f = rawFeature(features, this.key, this.name);
    let t: Tensor;
    if (f instanceof Tensor) t = f.dtype === 'float32' ? f : ops.cast(f, 'float32');
    else {
      const vals = f.map((v, row) => {
        const n = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
        if (!Number.isFinite(n)) {
          throw new InvalidArgumentError(
            `numericColumn '${this.key}': row ${row} has the non-numeric value ${JSON.stringify(v)}. ` +
              `Clean the data, or use a categorical column (e.g. categoricalColumnWithVocabularyList) for '${this.key}'.`,
          );
        }
        return n;
      });
      t = ops.tensor(vals, [vals.length], 'float32');
    }
    if (t.rank === 1) t = ops.reshape(t, [t.shape[0]!, 1]);
    if (t.rank !== 2 || t.shape[1] !== this.shape) {
      throw new ShapeError(
        `numericColumn '${this.key}': expected shape [batch, ${this.shape}], got [${t.shape.join(', ')}]. ` +
          `Build the column with numericColumn('${this.key}', {shape: ${t.shape.slice(1).reduce((a, b) => a * b, 1)}}) or reshape the feature.`,
      );
    }
    return t;
  }
  toDense(features: FeatureRecord): Tensor {
    const t = this.rawTensor(features);
    return this.normalizer ? this.normalizer(t) : t;
  }
}

/**
 * A real-valued feature.
 *
 * @example
 * ```ts
 * const age = nb.featureColumn.numericColumn('age', {normalizer: (x) => nb.div(nb.sub(x, 40), 12)});
 * ```
 */
export function numericColumn(key: string, options: NumericColumnOptions = {}): NumericColumn {
  return new NumericColumn(key, options);
}

/** A numeric feature split into buckets by boundaries; both dense (one-hot) and categorical. */
export class BucketizedColumn implements DenseColumn, CategoricalColumn {
  readonly kind = 'both' as const;
  constructor(readonly source: NumericColumn, readonly boundaries: readonly number[]) {
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i]! > boundaries[i - 1]!)) {
        throw new InvalidArgumentError(`bucketizedColumn '${source.key}': boundaries must be sorted and strictly increasing, got [${boundaries.join(', ')}].`);
      }
    }
  }
  get name(): string {
    return `${this.source.key}_bucketized`;
  }
  get numBuckets(): number {
    return (this.boundaries.length + 1) * this.source.shape;
  }
  get dimension(): number {
    return this.numBuckets;
  }
  private bucketOf(x: number): number {
    let b = 0;
    while (b < this.boundaries.length && x >= this.boundaries[b]!) b++;
    return b;
  }
  /** Bucket per value, [batch, shape] flattened row-major; bucket b of value j is id j·(n+1)+b. */
  private allIds(features: FeatureRecord): { batch: number; ids: Int32Array } {
    const t = this.source.rawTensor(features);
    const v = t.values;
    const per = this.boundaries.length + 1;
    const ids = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) ids[i] = (i % this.source.shape) * per + this.bucketOf(v[i]!);
    return { batch: t.shape[0]!, ids };
  }
  ids(features: FeatureRecord): Int32Array {
    if (this.source.shape !== 1) {
      throw new ShapeError(
        `bucketizedColumn '${this.name}': as a categorical input it needs a source of shape 1, got ${this.source.shape}. Use it directly as a dense column instead.`,
      );
    }
    return this.allIds(features).ids;
  }
  toDense(features: FeatureRecord): Tensor {
    const { batch, ids } = this.allIds(features);
    const out = new Float32Array(batch * this.numBuckets);
    for (let i = 0; i < ids.length; i++) out[Math.floor(i / this.source.shape) * this.numBuckets + ids[i]!] = 1;
    return ops.tensor(out, [batch, this.numBuckets], 'float32');
  }
}

/**
 * Buckets a numeric column: `boundaries [0, 10]` gives buckets (-inf, 0), [0, 10), [10, +inf).
 *
 * @example
 * ```ts
 * const ageBuckets = nb.featureColumn.bucketizedColumn(nb.featureColumn.numericColumn('age'), [18, 30, 65]);
 * ```
 */
export function bucketizedColumn(source: NumericColumn, boundaries: readonly number[]): BucketizedColumn {
  if (!(source instanceof NumericColumn)) {
    throw new InvalidArgumentError(`bucketizedColumn: the source must be a numericColumn, got ${typeof source === 'object' ? (source as object).constructor.name : typeof source}.`);
  }
  return new BucketizedColumn(source, boundaries);
}
