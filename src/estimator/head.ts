// Heads: from logits and labels to the loss, predictions and evaluation metrics of the premade
// estimators (multi-class softmax, binary logistic, regression).
import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { AUC } from '../keras/metrics/auc.js';
import { SparseCategoricalAccuracy } from '../keras/metrics/accuracy.js';
import { Precision, Recall } from '../keras/metrics/confusion.js';
import { MeanAbsoluteError, RootMeanSquaredError } from '../keras/metrics/regression.js';
import { rawFeature, type FeatureRecord } from './feature-column/raw.js';
import type { RawLabels } from './input.js';
import { EstimatorSpec, ModeKeys, type EvalMetric, type ModeKey } from './spec.js';
import type { Optimizer } from '../keras/optimizers/base.js';

/** What a head needs besides the logits. */
export interface HeadArgs {
  features: FeatureRecord;
  labels: Tensor | undefined;
  mode: ModeKey;
  optimizer: Optimizer;
  weightColumn: string | undefined;
}

function weightsOf(args: HeadArgs, n: number): Tensor | undefined {
  if (!args.weightColumn) return undefined;
  const f = rawFeature(args.features, args.weightColumn, `weightColumn '${args.weightColumn}'`);
  const t = f instanceof Tensor ? ops.cast(f, 'float32') : ops.tensor(f.map(Number), [f.length], 'float32');
  const w = ops.reshape(t, [t.size]);
  if (w.size !== n) throw new ShapeError(`weightColumn '${args.weightColumn}': expected one weight per example (${n}), got ${w.size}.`);
  return w;
}

/** Mean of per-example losses, weighted as TensorFlow's SUM_OVER_BATCH_SIZE: sum(w·l) / batch. */
function reduceLoss(perExample: Tensor, w: Tensor | undefined): Tensor {
  return w ? ops.div(ops.sum(ops.mul(perExample, w)), perExample.size) : ops.mean(perExample);
}

function flatLabels(labels: Tensor, where: string): Tensor {
  if (labels.rank > 2 || (labels.rank === 2 && labels.shape[1] !== 1)) {
    throw new ShapeError(`${where}: labels must have shape [batch] or [batch, 1], got [${labels.shape.join(', ')}].`);
  }
  return ops.reshape(labels, [labels.size]);
}

/**
 * Maps class names to ids by their position in `vocabulary` (TensorFlow's label_vocabulary);
 * numbers and tensors are taken as ids already. A name not in the vocabulary is an error naming
 * the value, its row and the vocabulary.
 */
export function vocabularyLabelIds(labels: RawLabels, vocabulary: readonly string[], where: string, rowOffset = 0, rowWord = 'row'): Tensor {
  if (labels instanceof Tensor) return labels;
  const index = new Map(vocabulary.map((v, i) => [v, i]));
  const ids = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (typeof v === 'number') ids[i] = v;
    else {
      const id = index.get(v);
      if (id === undefined) {
        throw new InvalidArgumentError(
          `${where}: label ${JSON.stringify(v)} at ${rowWord} ${i + rowOffset} is not in labelVocabulary [${vocabulary.map((x) => JSON.stringify(x)).join(', ')}]. ` +
            `Add it to labelVocabulary (and nClasses), or fix the label.`,
        );
      }
      ids[i] = id;
    }
  }
  return new Tensor([labels.length], 'float32', ids);
}

/** Checks class ids and returns them as int32 [batch]. */
export function classLabels(labels: Tensor, nClasses: number, where: string): Tensor {
  const flat = flatLabels(labels, where);
  const v = flat.values;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) {
      throw new InvalidArgumentError(
        `${where}: label ${c} at row ${i} is not a class id in [0, ${nClasses}). ` +
          (Number.isInteger(c) && c >= nClasses ? `nClasses is ${nClasses} but the labels go up to at least ${c}: set nClasses to ${c + 1} or more.` : 'Labels must be integer class ids.'),
      );
    }
  }
  return flat.dtype === 'int32' ? flat : ops.cast(flat, 'int32');
}

/** The classification head: nClasses = 2 is logistic (one logit), more is softmax. */
export function classificationSpec(logits: Tensor, nClasses: number, args: HeadArgs): EstimatorSpec {
  const where = nClasses === 2 ? 'binary classification head' : `${nClasses}-class classification head`;
  const predictions: Record<string, Tensor> = { logits };
  let probs: Tensor;
  if (nClasses === 2) {
    const p = ops.sigmoid(logits);
    probs = ops.concat([ops.sub(1, p), p], 1);
    predictions['logistic'] = p;
  } else probs = ops.softmax(logits);
  const classIds = ops.argMax(probs, 1);
  predictions['probabilities'] = probs;
  predictions['classIds'] = classIds;
  if (args.mode === ModeKeys.PREDICT || !args.labels) {
    if (args.mode !== ModeKeys.PREDICT) throw new InvalidArgumentError(`${where}: ${args.mode} needs labels; return [features, labels] from the input function.`);
    return new EstimatorSpec({ mode: args.mode, predictions });
  }
  const y = classLabels(args.labels, nClasses, where);
  if (y.size !== logits.shape[0]) throw new ShapeError(`${where}: ${y.size} labels for ${logits.shape[0]} examples; give one label per example.`);
  const w = weightsOf(args, y.size);
  const perExample =
    nClasses === 2
      ? ops.reshape(ops.sigmoidCrossEntropyWithLogits({ labels: ops.reshape(ops.cast(y, 'float32'), [y.size, 1]), logits }), [y.size])
      : ops.sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits });
  const loss = reduceLoss(perExample, w);
  const evalMetrics: Record<string, EvalMetric> = {};
  if (args.mode === ModeKeys.EVAL) {
    const yf = ops.cast(y, 'float32');
    const m = (metric: EvalMetric['metric'], yTrue: Tensor, yPred: Tensor): EvalMetric => (w ? { metric, yTrue, yPred, sampleWeight: w } : { metric, yTrue, yPred });
    evalMetrics['accuracy'] = m(new SparseCategoricalAccuracy(), yf, probs);
    if (nClasses === 2) {
      const p = predictions['logistic']!;
      const yCol = ops.reshape(yf, [y.size, 1]);
      evalMetrics['auc'] = m(new AUC(), yCol, p);
      evalMetrics['precision'] = m(new Precision(), yCol, p);
      evalMetrics['recall'] = m(new Recall(), yCol, p);
    }
  }
  return new EstimatorSpec({ mode: args.mode, predictions, loss, optimizer: args.optimizer, evalMetrics });
}

/** The regression head: mean squared error over labelDimension outputs. */
export function regressionSpec(predictionsT: Tensor, labelDimension: number, args: HeadArgs): EstimatorSpec {
  const predictions = { predictions: predictionsT };
  if (args.mode === ModeKeys.PREDICT || !args.labels) {
    if (args.mode !== ModeKeys.PREDICT) throw new InvalidArgumentError(`regression head: ${args.mode} needs labels; return [features, labels] from the input function.`);
    return new EstimatorSpec({ mode: args.mode, predictions });
  }
  const n = predictionsT.shape[0]!;
  let y = ops.cast(args.labels, 'float32');
  if (y.size !== n * labelDimension) {
    throw new ShapeError(`regression head: expected labels of shape [${n}, ${labelDimension}] (labelDimension ${labelDimension}), got [${args.labels.shape.join(', ')}].`);
  }
  y = ops.reshape(y, [n, labelDimension]);
  const w = weightsOf(args, n);
  const perExample = ops.sum(ops.square(ops.sub(predictionsT, y)), 1);
  const loss = reduceLoss(perExample, w);
  const evalMetrics: Record<string, EvalMetric> = {};
  if (args.mode === ModeKeys.EVAL) {
    const sw = w ? { sampleWeight: w } : {};
    evalMetrics['meanAbsoluteError'] = { metric: new MeanAbsoluteError(), yTrue: y, yPred: predictionsT, ...sw };
    evalMetrics['rootMeanSquaredError'] = { metric: new RootMeanSquaredError(), yTrue: y, yPred: predictionsT, ...sw };
  }
  return new EstimatorSpec({ mode: args.mode, predictions, loss, optimizer: args.optimizer, evalMetrics });
}

