// The categorical columns: vocabulary list, identity, hash bucket, crossed.
import { InvalidArgumentError } from '../../core/errors.js';
import { stableHash } from './hash.js';
import { batchSize, checkId, rawFeature, scalarValues, type FeatureRecord } from './raw.js';
import type { CategoricalColumn } from './types.js';

/** Options of `categoricalColumnWithVocabularyList`. */
export interface VocabularyListOptions {
  /** Out-of-vocabulary values hash into this many extra buckets after the vocabulary (default 0). */
  numOovBuckets?: number;
  /** The id of out-of-vocabulary values when numOovBuckets is 0 (default -1: no id, a zero indicator). */
  defaultValue?: number;
}

/** Ids from a fixed vocabulary. */
export class VocabularyListColumn implements CategoricalColumn {
  readonly kind = 'categorical' as const;
  private readonly index = new Map<string, number>();
  readonly numOovBuckets: number;
  readonly defaultValue: number;
  constructor(readonly key: string, readonly vocabulary: readonly (string | number)[], options: VocabularyListOptions = {}) {
    this.numOovBuckets = options.numOovBuckets ?? 0;
    this.defaultValue = options.defaultValue ?? -1;
    if (vocabulary.length === 0) throw new InvalidArgumentError(`categoricalColumnWithVocabularyList '${key}': the vocabulary is empty; give at least one value.`);
    vocabulary.forEach((v, i) => {
      if (this.index.has(String(v))) throw new InvalidArgumentError(`categoricalColumnWithVocabularyList '${key}': the value ${JSON.stringify(v)} appears twice in the vocabulary.`);
      this.index.set(String(v), i);
    });
    if (!Number.isInteger(this.numOovBuckets) || this.numOovBuckets < 0) {
      throw new InvalidArgumentError(`categoricalColumnWithVocabularyList '${key}': numOovBuckets must be a non-negative integer, got ${this.numOovBuckets}.`);
    }
    if (this.numOovBuckets > 0 && options.defaultValue !== undefined) {
      throw new InvalidArgumentError(`categoricalColumnWithVocabularyList '${key}': give numOovBuckets or defaultValue, not both (as in TensorFlow).`);
    }
    if (!Number.isInteger(this.defaultValue) || this.defaultValue < -1 || this.defaultValue >= vocabulary.length) {
      throw new InvalidArgumentError(`categoricalColumnWithVocabularyList '${key}': defaultValue must be -1 or an id in [0, ${vocabulary.length}), got ${this.defaultValue}.`);
    }
  }
  get name(): string {
    return this.key;
  }
  get numBuckets(): number {
    return this.vocabulary.length + this.numOovBuckets;
  }
  ids(features: FeatureRecord): Int32Array {
    const vals = scalarValues(rawFeature(features, this.key, this.name), this.name);
    return Int32Array.from(vals, (v) => {
      const s = String(v);
      const id = this.index.get(s);
      if (id !== undefined) return id;
      return this.numOovBuckets > 0 ? this.vocabulary.length + (stableHash(s) % this.numOovBuckets) : this.defaultValue;
    });
  }
}

/**
 * A categorical feature with a known vocabulary; unknown values get `defaultValue` (-1: no id) or
 * one of `numOovBuckets` hashed buckets, as in TensorFlow.
 *
 * @example
 * ```ts
 * const color = nb.featureColumn.categoricalColumnWithVocabularyList('color', ['red', 'green', 'blue']);
 * ```
 */
export function categoricalColumnWithVocabularyList(key: string, vocabulary: readonly (string | number)[], options: VocabularyListOptions = {}): VocabularyListColumn {
  return new VocabularyListColumn(key, vocabulary, options);
}

/** Integer features used as ids directly. */
export class IdentityColumn implements CategoricalColumn {
  readonly kind = 'categorical' as const;
  constructor(readonly key: string, readonly numBuckets: number, readonly defaultValue?: number) {
    if (!Number.isInteger(numBuckets) || numBuckets < 1) throw new InvalidArgumentError(`categoricalColumnWithIdentity '${key}': numBuckets must be a positive integer, got ${numBuckets}.`);
    if (defaultValue !== undefined && (!Number.isInteger(defaultValue) || defaultValue < 0 || defaultValue >= numBuckets)) {
      throw new InvalidArgumentError(`categoricalColumnWithIdentity '${key}': defaultValue must be in [0, ${numBuckets}), got ${defaultValue}.`);
    }
  }
  get name(): string {
    return this.key;
  }
  ids(features: FeatureRecord): Int32Array {
    const vals = scalarValues(rawFeature(features, this.key, this.name), this.name);
    const fix = `Ids must be integers in [0, ${this.numBuckets}); raise numBuckets or give a defaultValue for out-of-range ids.`;
    return Int32Array.from(vals, (v, row) => {
      const id = checkId(v, this.numBuckets, this.name, fix);
      if (id >= 0) return id;
      if (this.defaultValue !== undefined) return this.defaultValue;
      throw new InvalidArgumentError(`categoricalColumnWithIdentity '${this.key}': row ${row} has id ${JSON.stringify(v)}, expected an id in [0, ${this.numBuckets}). ${fix}`);
    });
  }
}

/**
 * Integer ids used directly: value v is bucket v. Out-of-range ids are an error unless a
 * defaultValue is given.
 *
 * @example
 * ```ts
 * const day = nb.featureColumn.categoricalColumnWithIdentity('weekday', 7);
 * ```
 */
export function categoricalColumnWithIdentity(key: string, numBuckets: number, options: { defaultValue?: number } = {}): IdentityColumn {
  return new IdentityColumn(key, numBuckets, options.defaultValue);
}

/** Ids by a stable hash of the value's string form. */
export class HashBucketColumn implements CategoricalColumn {
  readonly kind = 'categorical' as const;
  constructor(readonly key: string, readonly numBuckets: number) {
    if (!Number.isInteger(numBuckets) || numBuckets < 1) {
      throw new InvalidArgumentError(`categoricalColumnWithHashBucket '${key}': hashBucketSize must be a positive integer, got ${numBuckets}.`);
    }
  }
  get name(): string {
    return this.key;
  }
  ids(features: FeatureRecord): Int32Array {
    const vals = scalarValues(rawFeature(features, this.key, this.name), this.name);
    return Int32Array.from(vals, (v) => stableHash(String(v)) % this.numBuckets);
  }
}

/**
 * Ids = stableHash(String(value)) mod hashBucketSize (32-bit FNV-1a of the UTF-8 bytes; see
 * `stableHash`). Numbers hash by their string form ('3' and 3 share a bucket).
 *
 * @example
 * ```ts
 * const city = nb.featureColumn.categoricalColumnWithHashBucket('city', 100);
 * ```
 */
export function categoricalColumnWithHashBucket(key: string, hashBucketSize: number): HashBucketColumn {
  return new HashBucketColumn(key, hashBucketSize);
}

/** The cross of several features, hashed into buckets. */
export class CrossedColumn implements CategoricalColumn {
  readonly kind = 'categorical' as const;
  constructor(readonly keys: readonly (string | CategoricalColumn)[], readonly numBuckets: number) {
    if (keys.length < 2) throw new InvalidArgumentError(`crossedColumn: cross at least two keys or columns, got ${keys.length}.`);
    if (!Number.isInteger(numBuckets) || numBuckets < 1) throw new InvalidArgumentError(`crossedColumn '${this.name}': hashBucketSize must be a positive integer, got ${numBuckets}.`);
  }
  get name(): string {
    return this.keys.map((k) => (typeof k === 'string' ? k : k.name)).join('_X_');
  }
  ids(features: FeatureRecord): Int32Array {
    const parts = this.keys.map((k) => (typeof k === 'string' ? scalarValues(rawFeature(features, k, this.name), this.name).map(String) : Array.from(k.ids(features), String)));
    const n = batchSize(typeof this.keys[0] === 'string' ? rawFeature(features, this.keys[0], this.name) : parts[0]!);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = stableHash(parts.map((p) => p[i]).join('\u0001')) % this.numBuckets;
    return out;
  }
}

/**
 * Crosses raw features (by key) or categorical columns (by their ids): the joined values are
 * hashed with `stableHash` into hashBucketSize buckets.
 *
 * @example
 * ```ts
 * const cross = nb.featureColumn.crossedColumn(['country', 'language'], 1000);
 * ```
 */
export function crossedColumn(keys: readonly (string | CategoricalColumn)[], hashBucketSize: number): CrossedColumn {
  return new CrossedColumn(keys, hashBucketSize);
}
