/**
 * `nb.featureColumn`: TensorFlow-style feature columns and the DenseFeatures input layer.
 *
 * @example
 * ```ts
 * const fc = nb.featureColumn;
 * const cols = [fc.numericColumn('x'), fc.indicatorColumn(fc.categoricalColumnWithVocabularyList('c', ['a', 'b']))];
 * fc.denseFeatures(cols).transform({x: nb.tensor([1, 2]), c: ['a', 'zzz']}); // [[1, 0, 1], [0, 0, 2]] (sorted by name: c_indicator, x)
 * ```
 * @packageDocumentation
 */
export { numericColumn, bucketizedColumn, NumericColumn, BucketizedColumn, type NumericColumnOptions } from './numeric.js';
export {
  categoricalColumnWithVocabularyList,
  categoricalColumnWithIdentity,
  categoricalColumnWithHashBucket,
  crossedColumn,
  VocabularyListColumn,
  IdentityColumn,
  HashBucketColumn,
  CrossedColumn,
  type VocabularyListOptions,
} from './categorical.js';
export { indicatorColumn, embeddingColumn, IndicatorColumn, EmbeddingColumn } from './dense-wrappers.js';
export { DenseFeatures, denseFeatures, asDenseColumns } from './dense-features.js';
export { stableHash } from './hash.js';
export type { FeatureColumn, DenseColumn, CategoricalColumn } from './types.js';
export type { FeatureRecord, RawFeature } from './raw.js';
