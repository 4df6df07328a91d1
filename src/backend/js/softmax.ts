import type { NNKernels, TensorData } from '../kernels.js';

type Row = (xv: TensorData['values'], ov: TensorData['values'], start: number, n: number) => void;

/** Largest value of one row; NaN if the row holds one (so the whole row becomes NaN). */
function rowMax(xv: TensorData['values'], start: number, n: number): number {
  let m = -Infinity;
  for (let j = start; j < start + n; j++) {
    const v = xv[j]!;
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** Σ exp(x - m) over one row, accumulated in double precision. */
function rowSumExp(xv: TensorData['values'], start: number, n: number, m: number): number {
  let s = 0;
  for (let j = start; j < start + n; j++) s += Math.exp(xv[j]! - m);
  return s;
}

// Subtracting the row maximum keeps exp() from overflowing; the result is mathematically unchanged.
const softmaxRow: Row = (xv, ov, start, n) => {
  const m = rowMax(xv, start, n);
  const inv = 1 / rowSumExp(xv, start, n, m);
  for (let j = start; j < start + n; j++) ov[j] = Math.exp(xv[j]! - m) * inv;
};

const logSoftmaxRow: Row = (xv, ov, start, n) => {
  const m = rowMax(xv, start, n);
  const logSum = Math.log(rowSumExp(xv, start, n, m));
  for (let j = start; j < start + n; j++) ov[j] = xv[j]! - m - logSum;
};

/** Applies `row` to every row of the last axis (a scalar is one row of one element). */
function overLastAxis(row: Row, x: TensorData, out: TensorData): void {
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
  if (n === 0) return;
  const total = x.values.length;
  for (let start = 0; start < total; start += n) row(x.values, out.values, start, n);
}

/**
 * Reference softmax and log-softmax over the last axis, numerically stable for any logits
 * (a row holding +Infinity or NaN gives NaN, as in TensorFlow).
 */
export const softmaxKernels: Pick<NNKernels, 'softmax' | 'logSoftmax' | 'sparseSoftmaxCrossEntropy'> = {
  sparseSoftmaxCrossEntropy(logits, labels, loss, probs) {
    const n = logits.shape[logits.shape.length - 1]!;
    const lv = labels.values;
    for (let r = 0; r < lv.length; r++) {
      const start = r * n;
      const m = rowMax(logits.values, start, n);
      const sum = rowSumExp(logits.values, start, n, m);
      const inv = 1 / sum;
      for (let j = start; j < start + n; j++) probs.values[j] = Math.exp(logits.values[j]! - m) * inv;
      loss.values[r] = Math.fround(Math.fround(Math.log(sum)) + m) - logits.values[start + lv[r]!]!;
    }
  },
  softmax(x, out) {
    overLastAxis(softmaxRow, x, out);
  },
  logSoftmax(x, out) {
    overLastAxis(logSoftmaxRow, x, out);
  },
};
