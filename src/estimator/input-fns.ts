// Input-function helpers: in-memory arrays (numpyInputFn) and CSV tables.
import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import type { FeatureRecord, RawFeature } from './feature-column/raw.js';
import type { InputElement, InputFn, RawLabels } from './input.js';

/** Options of `numpyInputFn`. */
export interface NumpyInputOptions {
  /** Features by name: tensors with the examples on axis 0, or arrays of strings/numbers. */
  x: Readonly<Record<string, RawFeature>>;
  /**
   * Labels, examples on axis 0 (omit for prediction): a tensor, or one value per example (strings
   * are class names for a classifier with labelVocabulary).
   */
  y?: RawLabels;
  /** Default 128. */
  batchSize?: number;
  /** Shuffle each epoch (default true); seeded by `seed` for repeatable order. */
  shuffle?: boolean;
  /** Passes over the data (default 1; null repeats forever). */
  numEpochs?: number | null;
  seed?: number;
}

function rowsOf(f: RawFeature): number {
  return f instanceof Tensor ? f.shape[0] ?? 1 : f.length;
}

function pick(f: RawFeature, idx: readonly number[]): RawFeature {
  if (!(f instanceof Tensor)) return idx.map((i) => f[i]!);
  return ops.gather(f, ops.tensor(Int32Array.from(idx), [idx.length], 'int32'));
}

/** A small seeded generator (mulberry32) for the shuffle order. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An input function over in-memory features and labels (TensorFlow's numpy_input_fn).
 *
 * @example
 * ```ts
 * const inputFn = nb.estimator.numpyInputFn({x: {x: xs}, y: ys, batchSize: 32, numEpochs: null, seed: 1});
 * await est.train(inputFn, {steps: 200});
 * ```
 */
export function numpyInputFn(options: NumpyInputOptions): InputFn {
  const names = Object.keys(options.x ?? {});
  if (names.length === 0) throw new InvalidArgumentError(`numpyInputFn: x must be a record with at least one feature.`);
  const n = rowsOf(options.x[names[0]!]!);
  for (const k of names) {
    if (rowsOf(options.x[k]!) !== n) throw new InvalidArgumentError(`numpyInputFn: feature '${k}' has ${rowsOf(options.x[k]!)} rows but '${names[0]}' has ${n}; give every feature the same number of rows.`);
  }
  if (options.y && rowsOf(options.y) !== n) throw new InvalidArgumentError(`numpyInputFn: y has ${rowsOf(options.y)} rows but the features have ${n}; give one label per row.`);
  const batch = options.batchSize ?? 128;
  if (!Number.isInteger(batch) || batch < 1) throw new InvalidArgumentError(`numpyInputFn: batchSize must be a positive integer, got ${batch}.`);
  const epochs = options.numEpochs === undefined ? 1 : options.numEpochs;
  const shuffle = options.shuffle ?? true;
  return () => {
    const random = rng(options.seed ?? 0);
    return (function* (): Generator<InputElement> {
      for (let e = 0; epochs === null || e < epochs; e++) {
        const order = Array.from({ length: n }, (_, i) => i);
        if (shuffle) {
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
        }
        for (let s = 0; s < n; s += batch) {
          const idx = order.slice(s, s + batch);
          const features: Record<string, RawFeature> = {};
          for (const k of names) features[k] = pick(options.x[k]!, idx);
          yield options.y ? [features as FeatureRecord, pick(options.y, idx)] : [features as FeatureRecord];
        }
        if (n === 0) return;
      }
    })();
  };
}
