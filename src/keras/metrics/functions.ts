// Per-sample metric functions, as tf.keras.metrics.*_accuracy: plain loops over the arrays (no
// ops, no tape). Each returns a float32 tensor of per-sample values (1 = correct).
import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape, shapesEqual } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

function checkTensors(metric: string, yTrue: Tensor, yPred: Tensor): void {
  if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
    throw new InvalidArgumentError(`${metric}: expected tensors (yTrue, yPred).`);
  }
}

/**
 * The common shape of labels and predictions: equal shapes, or [..., 1] against [...]
 * (Keras squeezes or expands that last axis). Anything else is a ShapeError naming the metric.
 */
export function pairShape(metric: string, yTrue: Tensor, yPred: Tensor, hint = ''): readonly number[] {
  checkTensors(metric, yTrue, yPred);
  const a = yTrue.shape;
  const b = yPred.shape;
  if (shapesEqual(a, b)) return b;
  if (a.length === b.length - 1 && b[b.length - 1] === 1 && shapesEqual(a, b.slice(0, -1))) return b;
  if (b.length === a.length - 1 && a[a.length - 1] === 1 && shapesEqual(b, a.slice(0, -1))) return a;
  throw new ShapeError(
    `${metric}: labels have shape ${formatShape(a)} but predictions ${formatShape(b)}; ${hint || 'labels must have the shape of the predictions.'}`,
  );
}

function result(shape: readonly number[], values: Float32Array): Tensor {
  return new Tensor(shape.slice(), 'float32', values);
}

/** Element-wise 1 where yTrue equals yPred (Keras `accuracy`). */
export function accuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const shape = pairShape('accuracy', yTrue, yPred);
  const t = yTrue.values;
  const p = yPred.values;
  const out = new Float32Array(p.length);
  for (let i = 0; i < out.length; i++) out[i] = t[i] === p[i] ? 1 : 0;
  return result(shape, out);
}

/** Per sample, the fraction of entries where (yPred > threshold) equals yTrue. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  const shape = pairShape('binary_accuracy', yTrue, yPred);
  const t = yTrue.values;
  const p = yPred.values;
  const last = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const rows = last === 0 ? 0 : p.length / last;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let hits = 0;
    for (let j = r * last, end = j + last; j < end; j++) if ((p[j]! > threshold ? 1 : 0) === t[j]) hits++;
    out[r] = hits / last;
  }
  return result(shape.slice(0, -1), out);
}

/** Index of the first largest entry of row `r`. */
function argMaxRow(v: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  let bestV = v[offset]!;
  for (let j = 1; j < n; j++) {
    const x = v[offset + j]!;
    if (x > bestV || (Number.isNaN(x) && !Number.isNaN(bestV))) {
      best = j;
      bestV = x;
    }
  }
  return best;
}

function checkClasses(metric: string, yPred: Tensor): number {
  if (yPred.rank === 0) throw new ShapeError(`${metric}: predictions must have a classes axis, got a scalar.`);
  return yPred.shape[yPred.rank - 1]!;
}

function checkOneHot(metric: string, sparseName: string, yTrue: Tensor, yPred: Tensor): number {
  checkTensors(metric, yTrue, yPred);
  const classes = checkClasses(metric, yPred);
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    const outer = yPred.shape.slice(0, -1);
    const sparse = classes > 1 && (shapesEqual(yTrue.shape, outer) || shapesEqual(yTrue.shape, [...outer, 1]));
    throw new ShapeError(
      `${metric}: labels have shape ${formatShape(yTrue.shape)} but predictions ${formatShape(yPred.shape)}; ` +
        (sparse ? `for integer class labels use ${sparseName}.` : 'labels must be one-hot with the shape of the predictions.'),
    );
  }
  return classes;
}

function checkSparse(metric: string, oneHotName: string, yTrue: Tensor, yPred: Tensor): number {
  checkTensors(metric, yTrue, yPred);
  const classes = checkClasses(metric, yPred);
  const outer = yPred.shape.slice(0, -1);
  if (!shapesEqual(yTrue.shape, outer) && !shapesEqual(yTrue.shape, [...outer, 1])) {
    const oneHot = classes > 1 && shapesEqual(yTrue.shape, yPred.shape);
    throw new ShapeError(
      `${metric}: labels have shape ${formatShape(yTrue.shape)} but predictions ${formatShape(yPred.shape)}; ` +
        (oneHot ? `the labels look one-hot: use ${oneHotName}.` : `give integer class labels of shape ${formatShape(outer)}.`),
    );
  }
  return classes;
}

/** Per sample, 1 where argMax(yTrue) equals argMax(yPred) (one-hot labels). */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const c = checkOneHot('categorical_accuracy', 'sparse_categorical_accuracy', yTrue, yPred);
  const rows = c === 0 ? 0 : yPred.size / c;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argMaxRow(yTrue.values, r * c, c) === argMaxRow(yPred.values, r * c, c) ? 1 : 0;
  return result(yPred.shape.slice(0, -1), out);
}

/** Per sample, 1 where the integer label equals argMax(yPred). */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const c = checkSparse('sparse_categorical_accuracy', 'categorical_accuracy', yTrue, yPred);
  const rows = c === 0 ? 0 : yPred.size / c;
  const t = yTrue.values;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = t[r] === argMaxRow(yPred.values, r * c, c) ? 1 : 0;
  return result(yPred.shape.slice(0, -1), out);
}

/** Whether class `target` is among the k largest of row r (tf.nn.in_top_k: ties count as in). */
function inTopK(p: ArrayLike<number>, offset: number, c: number, target: number, k: number): boolean {
  if (!Number.isInteger(target) || target < 0 || target >= c) return false;
  const v = p[offset + target]!;
  let above = 0;
  for (let j = 0; j < c; j++) {
    const x = p[offset + j]!;
    if (!Number.isFinite(x)) return false;
    if (x > v) above++;
  }
  return above < k;
}

function checkK(metric: string, k: number): void {
  if (!(Number.isInteger(k) && k >= 1)) throw new InvalidArgumentError(`${metric}: k must be a positive integer, got ${k}.`);
}

/** Per sample, 1 where the true class (argMax of one-hot yTrue) is among the top k predictions. */
export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  const metric = 'top_k_categorical_accuracy';
  checkK(metric, k);
  const c = checkOneHot(metric, 'sparse_top_k_categorical_accuracy', yTrue, yPred);
  const rows = c === 0 ? 0 : yPred.size / c;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = inTopK(yPred.values, r * c, c, argMaxRow(yTrue.values, r * c, c), k) ? 1 : 0;
  return result(yPred.shape.slice(0, -1), out);
}

/** Per sample, 1 where the integer label is among the top k predictions. */
export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  const metric = 'sparse_top_k_categorical_accuracy';
  checkK(metric, k);
  const c = checkSparse(metric, 'top_k_categorical_accuracy', yTrue, yPred);
  const rows = c === 0 ? 0 : yPred.size / c;
  const t = yTrue.values;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = inTopK(yPred.values, r * c, c, t[r]!, k) ? 1 : 0;
  return result(yPred.shape.slice(0, -1), out);
}
