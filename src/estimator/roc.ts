// The exact ROC curve of binary scores: one point per distinct score (ties grouped), and its area.
import { InvalidArgumentError } from '../core/errors.js';

/** One ROC point: the rates when every score >= threshold is called positive. */
export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

/** The curve from (0, 0) (threshold +Infinity) to (1, 1), and the area under it. */
export interface RocCurve {
  points: RocPoint[];
  auc: number;
  positives: number;
  negatives: number;
}

/**
 * The exact ROC curve: scores sorted from high to low, examples with equal scores moved across the
 * threshold together (so a tie is one diagonal step), and the trapezoidal area under it — the
 * probability that a random positive scores above a random negative, ties counting one half.
 * Labels are 0 / 1; both classes must occur.
 *
 * @example
 * ```ts
 * const {points, auc} = nb.estimator.rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // auc 0.75; points (0,0) (0,0.5) (0.5,0.5) (0.5,1) (1,1)
 * ```
 */
export function rocCurve(labels: readonly number[], scores: readonly number[]): RocCurve {
  if (labels.length !== scores.length) throw new InvalidArgumentError(`rocCurve: ${labels.length} labels but ${scores.length} scores; give one score per label.`);
  let positives = 0;
  labels.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new InvalidArgumentError(`rocCurve: label ${y} at row ${i} is not 0 or 1; the ROC curve is for binary labels.`);
    if (!Number.isFinite(scores[i]!)) throw new InvalidArgumentError(`rocCurve: score ${scores[i]} at row ${i} is not a finite number.`);
    positives += y;
  });
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new InvalidArgumentError(`rocCurve: the labels hold ${positives} positives and ${negatives} negatives; the ROC curve needs both classes.`);
  }
  const order = labels.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]!]!;
    let dtp = 0;
    let dfp = 0;
    for (; k < order.length && scores[order[k]!] === s; k++) {
      if (labels[order[k]!] === 1) dtp++;
      else dfp++;
    }
    auc += (dfp / negatives) * ((tp + dtp / 2) / positives);
    tp += dtp;
    fp += dfp;
    points.push({ threshold: s, fpr: fp / negatives, tpr: tp / positives });
  }
  return { points, auc, positives, negatives };
}
