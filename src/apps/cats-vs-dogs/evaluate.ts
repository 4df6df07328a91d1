import * as nb from '../../index.js';
import { evaluatePredictions, type Evaluation } from '../mnist/metrics.js';
import type { SampleTile } from '../mnist/samples.js';

/** Keras's clipping of probabilities in binary crossentropy. */
const EPSILON = 1e-7;

export interface BinaryEvaluation extends Evaluation {
  /** Mean binary crossentropy. */
  loss: number;
  /** True labels (0 or 1), in the dataset's order. */
  labels: Int32Array;
  /** P(class 1) per image. */
  probabilities: Float32Array;
  /** Grid tiles: the first `first` images, then up to `errors` misclassified ones. */
  samples: SampleTile[];
}

/**
 * Runs a sigmoid binary classifier over a dataset of `[images, labels [b, 1]]` batches once,
 * batch by batch (only the grid's images are kept), and scores it: accuracy at threshold 0.5,
 * binary crossentropy, the confusion matrix and per-class figures.
 *
 * @example
 * ```ts
 * const ev = await evaluateBinary(model, data.validation, ['cat', 'dog']);
 * console.log(ev.accuracy, ev.confusion);
 * ```
 */
export async function evaluateBinary(
  model: nb.keras.Model,
  dataset: nb.data.Dataset<[nb.Tensor, nb.Tensor]>,
  classNames: readonly [string, string],
  grid: { first: number; errors: number } = { first: 32, errors: 16 },
): Promise<BinaryEvaluation> {
  const labels: number[] = [];
  const probabilities: number[] = [];
  const samples: SampleTile[] = [];
  let errorsShown = 0;
  let lossSum = 0;
  for await (const [images, target] of dataset) {
    const p = (model.predictOnBatch(images) as nb.Tensor).dataSync();
    const y = target.dataSync();
    for (let i = 0; i < y.length; i++) {
      const truth = y[i]! >= 0.5 ? 1 : 0;
      const prob = p[i]!;
      const predicted = prob >= 0.5 ? 1 : 0;
      const clipped = Math.min(1 - EPSILON, Math.max(EPSILON, prob));
      lossSum -= truth === 1 ? Math.log(clipped) : Math.log(1 - clipped);
      const index = labels.length;
      labels.push(truth);
      probabilities.push(prob);
      const wrong = truth !== predicted;
      if (index < grid.first || (wrong && errorsShown < grid.errors)) {
        if (index >= grid.first) errorsShown++;
        samples.push({
          image: nb.slice(images, [i, 0, 0, 0], [1, ...images.shape.slice(1)]),
          truth: classNames[truth],
          predicted: classNames[predicted],
          probability: predicted === 1 ? prob : 1 - prob,
        });
      }
    }
  }
  const truth = Int32Array.from(labels);
  const evaluation = evaluatePredictions(truth, Int32Array.from(probabilities, (p) => (p >= 0.5 ? 1 : 0)), classNames);
  return { ...evaluation, loss: labels.length > 0 ? lossSum / labels.length : 0, labels: truth, probabilities: Float32Array.from(probabilities), samples };
}
