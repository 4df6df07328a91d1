// The two kinds of feature column: dense (a [batch, dimension] float tensor) and categorical
// (one id per example in [0, numBuckets), or -1 for "no id").
import type { Tensor } from '../../core/tensor.js';
import type { FeatureRecord } from './raw.js';

/** A column that produces a float32 [batch, dimension] tensor. */
export interface DenseColumn {
  readonly kind: 'dense' | 'both';
  readonly name: string;
  readonly dimension: number;
  toDense(features: FeatureRecord, lookup?: EmbeddingLookup): Tensor;
}

/** A column that produces one integer id per example; -1 means "no id" (an all-zero indicator). */
export interface CategoricalColumn {
  readonly kind: 'categorical' | 'both';
  readonly name: string;
  readonly numBuckets: number;
  ids(features: FeatureRecord): Int32Array;
}

/** Gives an embedding column its weight table (owned by the DenseFeatures layer). */
export type EmbeddingLookup = (columnName: string) => Tensor;

/** Any feature column. */
export type FeatureColumn = DenseColumn | CategoricalColumn;

/** Whether `c` can be used as a dense input. */
export function isDense(c: FeatureColumn): c is DenseColumn {
  return c.kind === 'dense' || c.kind === 'both';
}

/** Whether `c` gives ids. */
export function isCategorical(c: FeatureColumn): c is CategoricalColumn {
  return c.kind === 'categorical' || c.kind === 'both';
}
