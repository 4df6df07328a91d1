// Per-sample Keras loss functions: `(yTrue, yPred) => Tensor`, reduced over the last axis.
// Formulas follow tf.keras 2.x (keras/losses.py and keras/backend.py), including its epsilon
// (1e-7) clipping of probabilities. All are written in ops, so they are differentiable with
// respect to `yPred` through a GradientTape.
import { DTypeError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape, shapesEqual } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import * as ops from '../../ops/index.js';
import { softmaxLogits } from '../softmax-logits.js';

/** Keras' fuzz factor `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** A per-sample loss function. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

function checkPred(loss: string, yPred: Tensor): void {
  if (yPred.dtype !== 'float32') {
    throw new DTypeError(`${loss}: predictions must be float32, got ${yPred.dtype}; cast them with nb.cast(yPred, 'float32').`);
  }
}

function toFloat(yTrue: Tensor): Tensor {
  return yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32');
}

/**
 * Validates and aligns labels with predictions (Keras' squeeze_or_expand_dimensions): labels
 * are cast to float32; labels [b] with predictions [b, 1] (or the reverse) are reshaped to the
 * higher-rank shape; any other mismatch is a ShapeError naming the loss.
 */
export function alignLabels(loss: string, yTrue: Tensor, yPred: Tensor, hint = ''): [Tensor, Tensor] {
  checkPred(loss, yPred);
  let t = toFloat(yTrue);
  let p = yPred;
  if (!shapesEqual(t.shape, p.shape)) {
    if (t.rank === p.rank - 1 && p.shape[p.rank - 1] === 1 && shapesEqual(t.shape, p.shape.slice(0, -1))) {
      t = ops.reshape(t, p.shape);
    } else if (p.rank === t.rank - 1 && t.shape[t.rank - 1] === 1 && shapesEqual(p.shape, t.shape.slice(0, -1))) {
      p = ops.reshape(p, t.shape);
    } else {
      throw new ShapeError(
        `${loss}: labels have shape ${formatShape(yTrue.shape)} but predictions ${formatShape(yPred.shape)}; ${hint || 'labels must have the shape of the predictions (reshape the labels or fix the model output).'}`,
      );
    }
  }
  return [t, p];
}

/** Rank-0 predictions have no last axis to reduce; treat them as a single value. */
function meanLast(x: Tensor): Tensor {
  return x.rank === 0 ? x : ops.mean(x, -1);
}

function sumLast(x: Tensor): Tensor {
  return x.rank === 0 ? x : ops.sum(x, -1);
}

function checkSmoothing(loss: string, labelSmoothing: number): void {
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new InvalidArgumentError(`${loss}: labelSmoothing must be in [0, 1], got ${labelSmoothing}.`);
  }
}

/** mean((yTrue - yPred)², -1). */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('mean_squared_error', yTrue, yPred);
  return meanLast(ops.squaredDifference(p, t));
}

/** mean(|yTrue - yPred|, -1). */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('mean_absolute_error', yTrue, yPred);
  return meanLast(ops.abs(ops.sub(p, t)));
}

/** 100 · mean(|(yTrue - yPred) / max(|yTrue|, ε)|, -1). */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('mean_absolute_percentage_error', yTrue, yPred);
  const diff = ops.abs(ops.div(ops.sub(t, p), ops.maximum(ops.abs(t), EPSILON)));
  return ops.mul(meanLast(diff), 100);
}

/** mean((log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))², -1). */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('mean_squared_logarithmic_error', yTrue, yPred);
  const a = ops.log(ops.add(ops.maximum(p, EPSILON), 1));
  const b = ops.log(ops.add(ops.maximum(t, EPSILON), 1));
  return meanLast(ops.squaredDifference(a, b));
}

/** Huber loss: ½x² where |x| ≤ δ, else δ|x| − ½δ², with x = yPred − yTrue; mean over the last axis. */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  if (!(delta > 0)) throw new InvalidArgumentError(`huber: delta must be > 0, got ${delta}.`);
  const [t, p] = alignLabels('huber', yTrue, yPred);
  const x = ops.sub(p, t);
  const absX = ops.abs(x);
  const quadratic = ops.mul(ops.square(x), 0.5);
  const linear = ops.sub(ops.mul(absX, delta), 0.5 * delta * delta);
  return meanLast(ops.where(ops.lessEqual(absX, delta), quadratic, linear));
}

export interface CrossentropyOptions {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Squeezes labels towards uniform: y·(1 − s) + s/K (K = 2 for binary). Default 0. */
  labelSmoothing?: number;
}

/**
 * Binary crossentropy, mean over the last axis. From probabilities (Keras): p is clipped to
 * [ε, 1 − ε] and the loss is −(y·log(p + ε) + (1 − y)·log(1 − p + ε)).
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const name = 'binary_crossentropy';
  const ls = options.labelSmoothing ?? 0;
  checkSmoothing(name, ls);
  let [t, p] = alignLabels(name, yTrue, yPred);
  if (ls > 0) t = ops.add(ops.mul(t, 1 - ls), 0.5 * ls);
  if (options.fromLogits) return meanLast(ops.sigmoidCrossEntropyWithLogits({ labels: t, logits: p }));
  p = ops.clipByValue(p, EPSILON, 1 - EPSILON);
  const pos = ops.mul(t, ops.log(ops.add(p, EPSILON)));
  const negTerm = ops.mul(ops.sub(1, t), ops.log(ops.add(ops.sub(1, p), EPSILON)));
  return meanLast(ops.neg(ops.add(pos, negTerm)));
}

/**
 * Categorical crossentropy over the last (classes) axis; labels are one-hot (or distributions).
 * From probabilities (Keras): p is renormalised to sum to 1, clipped to [ε, 1 − ε], and the loss
 * is −Σ y·log(p); when p is a softmax output (a Keras 'softmax' activation or Softmax layer over
 * the last axis), the loss comes from its logits instead, as tf.keras does.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const name = 'categorical_crossentropy';
  const ls = options.labelSmoothing ?? 0;
  checkSmoothing(name, ls);
  checkPred(name, yPred);
  if (yPred.rank === 0) throw new ShapeError(`${name}: predictions must have a classes axis, got a scalar.`);
  const classes = yPred.shape[yPred.rank - 1]!;
  const sparseHint =
    classes > 1 &&
    (shapesEqual(yTrue.shape, yPred.shape.slice(0, -1)) || shapesEqual(yTrue.shape, [...yPred.shape.slice(0, -1), 1]));
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeError(
      `${name}: labels have shape ${formatShape(yTrue.shape)} but predictions ${formatShape(yPred.shape)}; ` +
        (sparseHint
          ? 'for integer class labels use sparse_categorical_crossentropy (or one-hot encode the labels with nb.oneHot).'
          : 'labels must be one-hot with the shape of the predictions.'),
    );
  }
  let t = toFloat(yTrue);
  if (ls > 0) t = ops.add(ops.mul(t, 1 - ls), ls / classes);
  if (options.fromLogits) return ops.softmaxCrossEntropyWithLogits({ labels: t, logits: yPred });
  const logits = softmaxLogits(yPred);
  if (logits !== undefined) return ops.softmaxCrossEntropyWithLogits({ labels: t, logits });
  const p = ops.clipByValue(ops.div(yPred, ops.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return ops.neg(ops.sum(ops.mul(t, ops.log(p)), -1));
}

/**
 * Sparse categorical crossentropy: integer class labels (int32, or integer-valued floats) of
 * shape [batch] or [batch, 1] against predictions [batch, classes]. From probabilities (Keras):
 * −log of the clipped, renormalised probability of the true class.
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: { fromLogits?: boolean } = {}): Tensor {
  const name = 'sparse_categorical_crossentropy';
  checkPred(name, yPred);
  if (yPred.rank === 0) throw new ShapeError(`${name}: predictions must have a classes axis, got a scalar.`);
  const outer = yPred.shape.slice(0, -1);
  const classes = yPred.shape[yPred.rank - 1]!;
  let labels = yTrue;
  if (shapesEqual(labels.shape, [...outer, 1])) labels = ops.reshape(labels, outer);
  else if (!shapesEqual(labels.shape, outer)) {
    const categoricalHint = shapesEqual(labels.shape, yPred.shape) && classes > 1;
    throw new ShapeError(
      `${name}: labels have shape ${formatShape(yTrue.shape)} but predictions ${formatShape(yPred.shape)}; ` +
        (categoricalHint
          ? 'the labels look one-hot: use categorical_crossentropy for one-hot labels.'
          : `give integer class labels of shape ${formatShape(outer)} or ${formatShape([...outer, 1])}.`),
    );
  }
  if (labels.dtype !== 'int32') {
    const v = labels.values;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i]!)) {
        throw new InvalidArgumentError(
          `${name}: label ${v[i]} at flat index ${i} is not an integer class index; labels must be class indices in [0, ${classes}).`,
        );
      }
    }
    labels = ops.cast(labels, 'int32');
  }
  const logits = options.fromLogits ? yPred : (softmaxLogits(yPred) ?? ops.log(ops.clipByValue(yPred, EPSILON, 1 - EPSILON)));
  return ops.sparseSoftmaxCrossEntropyWithLogits({ labels, logits });
}

/** Keras' _maybe_convert_labels: labels that are all 0 or 1 become −1 / 1. */
function signedLabels(t: Tensor): Tensor {
  const v = t.values;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) return t;
  return ops.sub(ops.mul(t, 2), 1);
}

/** mean(max(1 − y·ŷ, 0), -1); labels in {−1, 1} (or {0, 1}, converted). */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('hinge', yTrue, yPred);
  return meanLast(ops.maximum(ops.sub(1, ops.mul(signedLabels(t), p)), 0));
}

/** mean(max(1 − y·ŷ, 0)², -1); labels in {−1, 1} (or {0, 1}, converted). */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('squared_hinge', yTrue, yPred);
  return meanLast(ops.square(ops.maximum(ops.sub(1, ops.mul(signedLabels(t), p)), 0)));
}

/** max(0, max((1 − y)·ŷ) − Σ y·ŷ + 1) over the last axis; labels one-hot. */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('categorical_hinge', yTrue, yPred);
  if (p.rank === 0) throw new ShapeError('categorical_hinge: predictions must have a classes axis, got a scalar.');
  const pos = ops.sum(ops.mul(t, p), -1);
  const negative = ops.max(ops.mul(ops.sub(1, t), p), -1);
  return ops.maximum(ops.add(ops.sub(negative, pos), 1), 0);
}

/** Kullback–Leibler divergence Σ y·log(y / ŷ) over the last axis, both clipped to [ε, 1]. */
export function kullbackLeiblerDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t0, p0] = alignLabels('kl_divergence', yTrue, yPred);
  const t = ops.clipByValue(t0, EPSILON, 1);
  const p = ops.clipByValue(p0, EPSILON, 1);
  return sumLast(ops.mul(t, ops.log(ops.div(t, p))));
}
export const kld = kullbackLeiblerDivergence;

/** mean(ŷ − y·log(ŷ + ε), -1). */
export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('poisson', yTrue, yPred);
  return meanLast(ops.sub(p, ops.mul(t, ops.log(ops.add(p, EPSILON)))));
}

/** −Σ l2Normalize(y)·l2Normalize(ŷ) over the last axis (−1 when aligned, as the Keras loss). */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('cosine_similarity', yTrue, yPred);
  if (p.rank === 0) throw new ShapeError('cosine_similarity: inputs must have at least one axis, got scalars.');
  return ops.neg(ops.sum(ops.mul(ops.l2Normalize(t, -1), ops.l2Normalize(p, -1)), -1));
}

/** mean(log(cosh(ŷ − y)), -1), computed stably as x + softplus(−2x) − log 2. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = alignLabels('log_cosh', yTrue, yPred);
  const x = ops.sub(p, t);
  return meanLast(ops.sub(ops.add(x, ops.softplus(ops.mul(x, -2))), Math.LN2));
}

export {
  meanSquaredError as mse,
  meanAbsoluteError as mae,
  meanAbsolutePercentageError as mape,
  meanSquaredLogarithmicError as msle,
  logCosh as logcosh,
};
