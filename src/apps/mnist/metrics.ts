/** Per-class figures of a classifier on a labelled test set. */
export interface ClassStats {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  /** Test samples of this class. */
  support: number;
}

export interface Evaluation {
  /** `confusion[t][p]`: test samples of true class t predicted as p. */
  confusion: number[][];
  perClass: ClassStats[];
  accuracy: number;
}

/** Confusion matrix, per-class precision/recall/F1 and accuracy from true and predicted labels. */
export function evaluatePredictions(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, classNames: readonly string[]): Evaluation {
  const k = classNames.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = predicted[i]!;
    confusion[t]![p]!++;
    if (t === p) correct++;
  }
  const perClass = classNames.map((name, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { name, precision, recall, f1, support };
  });
  return { confusion, perClass, accuracy: trueLabels.length > 0 ? correct / trueLabels.length : 0 };
}
