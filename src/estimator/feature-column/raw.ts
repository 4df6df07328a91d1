// Reading one raw feature out of a features record: a Tensor, or an array of strings/numbers.
import { InvalidArgumentError, NotFoundError, ShapeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';

/** A raw feature for a batch: a tensor ([batch] or [batch, d]) or one value per example. */
export type RawFeature = Tensor | readonly (string | number)[];

/** A batch of raw features by name, as an input function yields them. */
export type FeatureRecord = Readonly<Record<string, RawFeature>>;

/** The raw feature `key`, or a NotFoundError naming the column and the keys that are there. */
export function rawFeature(features: FeatureRecord, key: string, column: string): RawFeature {
  const f = features[key];
  if (f === undefined) {
    throw new NotFoundError(
      `featureColumn '${column}': the features have no key '${key}' (they have: ${Object.keys(features).join(', ') || 'none'}). ` +
        `Give the input function a feature named '${key}', or build the column with the feature's actual name.`,
    );
  }
  return f;
}

/** The number of examples in a raw feature. */
export function batchSize(f: RawFeature): number {
  return f instanceof Tensor ? (f.rank === 0 ? 1 : f.shape[0]!) : f.length;
}

/** One value per example as strings or numbers (a [batch] or [batch, 1] feature). */
export function scalarValues(f: RawFeature, column: string): (string | number)[] {
  if (!(f instanceof Tensor)) return [...f];
  if (f.rank > 2 || (f.rank === 2 && f.shape[1] !== 1)) {
    throw new ShapeError(
      `featureColumn '${column}': expected one value per example (shape [batch] or [batch, 1]), got shape [${f.shape.join(', ')}]. ` +
        `Categorical columns take a single value per example; split multi-valued features into separate columns.`,
    );
  }
  return Array.from(f.values as ArrayLike<number>);
}

/** Integer ids in [0, n) or a clear error naming the column, the value and the fix. */
export function checkId(v: string | number, n: number, column: string, fix: string): number {
  const id = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(id)) {
    throw new InvalidArgumentError(`featureColumn '${column}': expected an integer id, got ${JSON.stringify(v)}. ${fix}`);
  }
  return id >= 0 && id < n ? id : -1;
}
