// Input functions: what they return, how the estimator reads batches from them.
import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import type { Dataset } from '../data/dataset.js';
import type { FeatureRecord } from './feature-column/raw.js';

/**
 * The labels of a batch: a tensor, or one value per example — strings are class names, which a
 * classifier with `labelVocabulary` maps to class ids (TensorFlow takes string label tensors there).
 */
export type RawLabels = Tensor | readonly (string | number)[];

/** One batch: [features, labels] (labels may be absent for prediction), or just the features. */
export type InputElement = readonly [FeatureRecord, RawLabels | undefined] | readonly [FeatureRecord] | FeatureRecord;

/** Returns the batches to train / evaluate / predict on (called once per train/evaluate/predict). */
export type InputFn = () => Dataset<InputElement> | Dataset<[Record<string, Tensor>, Tensor]> | AsyncIterable<InputElement> | Iterable<InputElement>;

/** A batch split into features and labels. */
export interface Batch {
  features: FeatureRecord;
  labels: RawLabels | undefined;
}

function isRecord(x: unknown): x is FeatureRecord {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tensor);
}

/** Splits an input element into features and labels, or a clear error. */
export function toBatch(el: unknown, where: string): Batch {
  if (Array.isArray(el) && (el.length === 1 || el.length === 2) && isRecord(el[0])) {
    const labels = el[1] as unknown;
    if (labels !== undefined && !(labels instanceof Tensor) && !(Array.isArray(labels) && labels.every((v) => typeof v === 'string' || typeof v === 'number'))) {
      throw new InvalidArgumentError(
        `${where}: the labels of a batch must be a Tensor or an array of strings/numbers (one per example), got ${Array.isArray(labels) ? 'an array with other values' : typeof labels}. Return [features, labels] from the input function.`,
      );
    }
    return { features: el[0], labels: labels as RawLabels | undefined };
  }
  if (isRecord(el)) return { features: el, labels: undefined };
  throw new InvalidArgumentError(
    `${where}: the input function must yield [features record, labels tensor] (or a features record), got ${Array.isArray(el) ? `an array of ${el.length}` : el instanceof Tensor ? 'a Tensor' : typeof el}. ` +
      `Map the dataset to ([x, y]) => [{name: x}, y].`,
  );
}

/** Iterates the batches of an input function. */
export async function* batches(inputFn: InputFn, where: string): AsyncGenerator<Batch> {
  if (typeof inputFn !== 'function') throw new InvalidArgumentError(`${where}: inputFn must be a function returning a Dataset, got ${typeof inputFn}.`);
  const source = inputFn() as AsyncIterable<unknown> | Iterable<unknown>;
  for await (const el of source as AsyncIterable<unknown>) yield toBatch(el, where);
}

/**
 * Labels as a tensor for a model function: tensors pass through, numbers become float32. Strings
 * (class names) need a vocabulary: without one they are an error saying how to fix it.
 */
export function labelsAsTensor(labels: RawLabels | undefined, where: string): Tensor | undefined {
  if (labels === undefined || labels instanceof Tensor) return labels;
  const i = labels.findIndex((v) => typeof v === 'string');
  if (i >= 0) {
    throw new InvalidArgumentError(
      `${where}: label ${JSON.stringify(labels[i])} at row ${i} of the batch is a string; string labels are class names and need a classifier with labelVocabulary ` +
        `(e.g. new nb.estimator.DNNClassifier({..., labelVocabulary: ['a', 'b', 'c']})), or map them to numbers in the input function.`,
    );
  }
  return new Tensor([labels.length], 'float32', Float32Array.from(labels as readonly number[]));
}
