// DenseFeatures: a Keras layer that turns a record of raw features into one dense input.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { Variable } from '../../core/variable.js';
import * as ops from '../../ops/index.js';
import { Layer, type LayerArgs } from '../../keras/engine/layer.js';
import { truncatedNormal } from '../../keras/initializers.js';
import { EmbeddingColumn, IndicatorColumn } from './dense-wrappers.js';
import type { FeatureRecord } from './raw.js';
import { isDense, type FeatureColumn, type DenseColumn } from './types.js';

/**
 * Columns for a dense input: dense columns as they are, categorical-only columns as indicators
 * (what a linear model wants). Sorted by name, as TensorFlow orders them.
 */
export function asDenseColumns(columns: readonly FeatureColumn[]): DenseColumn[] {
  return columns.map((c) => (isDense(c) ? c : new IndicatorColumn(c))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The input layer of the estimators: `transform(features)` concatenates each column's dense
 * tensor (sorted by column name) into [batch, dimension]. Categorical columns that are not
 * wrapped in an indicator/embedding column are one-hot encoded. Owns the embedding tables.
 *
 * @example
 * ```ts
 * const fc = nb.featureColumn;
 * const layer = fc.denseFeatures([fc.numericColumn('x'), fc.indicatorColumn(fc.categoricalColumnWithIdentity('k', 3))]);
 * layer.transform({x: nb.tensor([1, 2]), k: [0, 2]}); // [[1, 1, 0, 0], [2, 0, 0, 1]]
 * ```
 */
export class DenseFeatures extends Layer {
  static override readonly className: string = 'DenseFeatures';
  readonly columns: DenseColumn[];
  private readonly tables = new Map<string, Variable>();
  constructor(columns: readonly FeatureColumn[], args: LayerArgs = {}) {
    super(args);
    if (!Array.isArray(columns) || columns.length === 0) throw new InvalidArgumentError(`DenseFeatures: give at least one feature column.`);
    this.columns = asDenseColumns(columns);
    const seen = new Set<string>();
    for (const c of this.columns) {
      if (seen.has(c.name)) throw new InvalidArgumentError(`DenseFeatures: two columns are named '${c.name}'; each column must appear once.`);
      seen.add(c.name);
    }
  }
  /** Total width of the dense output. */
  get outputDimension(): number {
    return this.columns.reduce((s, c) => s + c.dimension, 0);
  }
  private ensureTables(): void {
    if (this.built) return;
    for (const c of this.columns) {
      if (c instanceof EmbeddingColumn) {
        const init = truncatedNormal({ stddev: 1 / Math.sqrt(c.dimension) });
        this.tables.set(c.name, this.addWeight(`${c.name}/embedding_weights`, { shape: [c.categoricalColumn.numBuckets, c.dimension], initializer: init }));
      }
    }
    this.built = true;
  }
  /** The [batch, outputDimension] float32 input for `features`. */
  transform(features: FeatureRecord): Tensor {
    this.ensureTables();
    const lookup = (name: string): Tensor => this.tables.get(name)!;
    const parts = this.columns.map((c) => c.toDense(features, lookup));
    const rows = parts[0]!.shape[0];
    parts.forEach((p, i) => {
      if (p.shape[0] !== rows) {
        throw new InvalidArgumentError(
          `DenseFeatures: column '${this.columns[i]!.name}' has ${p.shape[0]} examples but '${this.columns[0]!.name}' has ${rows}; every feature of a batch must have the same number of examples.`,
        );
      }
    });
    return parts.length === 1 ? parts[0]! : ops.concat(parts, 1);
  }
}

/**
 * Creates a DenseFeatures input layer.
 *
 * @example
 * ```ts
 * const input = nb.featureColumn.denseFeatures([nb.featureColumn.numericColumn('x', {shape: 4})]);
 * ```
 */
export function denseFeatures(columns: readonly FeatureColumn[], args: LayerArgs = {}): DenseFeatures {
  return new DenseFeatures(columns, args);
}
