// indicatorColumn and embeddingColumn: categorical ids to a dense tensor.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import type { FeatureRecord } from './raw.js';
import { isCategorical, type CategoricalColumn, type DenseColumn, type EmbeddingLookup } from './types.js';

function requireCategorical(c: unknown, where: string): asserts c is CategoricalColumn {
  if (!c || typeof c !== 'object' || !isCategorical(c as CategoricalColumn)) {
    throw new InvalidArgumentError(`${where}: expected a categorical column (e.g. categoricalColumnWithVocabularyList), got ${c === null ? 'null' : typeof c === 'object' ? (c as object).constructor.name : typeof c}.`);
  }
}

/** A one-hot (multi-hot over -1 = none) view of a categorical column. */
export class IndicatorColumn implements DenseColumn {
  readonly kind = 'dense' as const;
  constructor(readonly categoricalColumn: CategoricalColumn) {}
  get name(): string {
    return `${this.categoricalColumn.name}_indicator`;
  }
  get dimension(): number {
    return this.categoricalColumn.numBuckets;
  }
  toDense(features: FeatureRecord): Tensor {
    const ids = this.categoricalColumn.ids(features);
    const n = this.dimension;
    const out = new Float32Array(ids.length * n);
    ids.forEach((id, i) => {
      if (id >= 0) out[i * n + id] = 1;
    });
    return ops.tensor(out, [ids.length, n], 'float32');
  }
}

/**
 * One-hot encodes a categorical column; ids of -1 (unknown values without OOV buckets) give zeros.
 *
 * @example
 * ```ts
 * const fc = nb.featureColumn;
 * const color = fc.indicatorColumn(fc.categoricalColumnWithVocabularyList('color', ['r', 'g', 'b']));
 * ```
 */
export function indicatorColumn(categoricalColumn: CategoricalColumn): IndicatorColumn {
  requireCategorical(categoricalColumn, 'indicatorColumn');
  return new IndicatorColumn(categoricalColumn);
}

/** A learned dense vector per id; its table lives in the DenseFeatures layer. */
export class EmbeddingColumn implements DenseColumn {
  readonly kind = 'dense' as const;
  constructor(readonly categoricalColumn: CategoricalColumn, readonly dimension: number) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new InvalidArgumentError(`embeddingColumn '${categoricalColumn.name}': dimension must be a positive integer, got ${dimension}.`);
  }
  get name(): string {
    return `${this.categoricalColumn.name}_embedding`;
  }
  toDense(features: FeatureRecord, lookup?: EmbeddingLookup): Tensor {
    if (!lookup) throw new InvalidArgumentError(`embeddingColumn '${this.name}': an embedding needs its weights; use it through nb.featureColumn.denseFeatures(columns).`);
    const table = lookup(this.name);
    const ids = this.categoricalColumn.ids(features);
    const safe = Int32Array.from(ids, (id) => Math.max(id, 0));
    const mask = ops.tensor(Float32Array.from(ids, (id) => (id >= 0 ? 1 : 0)), [ids.length, 1], 'float32');
    return ops.mul(ops.gather(table, ops.tensor(safe, [ids.length], 'int32')), mask);
  }
}

/**
 * A trainable embedding of a categorical column (initialised truncated-normal with stddev
 * 1/sqrt(dimension), as TensorFlow). Ids of -1 give zeros.
 *
 * @example
 * ```ts
 * const fc = nb.featureColumn;
 * const city = fc.embeddingColumn(fc.categoricalColumnWithHashBucket('city', 1000), 8);
 * ```
 */
export function embeddingColumn(categoricalColumn: CategoricalColumn, dimension: number): EmbeddingColumn {
  requireCategorical(categoricalColumn, 'embeddingColumn');
  return new EmbeddingColumn(categoricalColumn, dimension);
}
