// AUC, as tf.keras.metrics.AUC: confusion counts at fixed thresholds, then a Riemann sum.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Metric } from './base.js';
import { checkThreshold, forEachElement } from './confusion.js';

export interface AUCArgs {
  name?: string;
  /** Number of thresholds (default 200): 0 − ε, 1/(n−1), ..., (n−2)/(n−1), 1 + ε. */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR'. */
  curve?: 'ROC' | 'PR';
  /** How heights between thresholds are taken (default 'interpolation'). */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in [0, 1] (overrides numThresholds; 0 − ε and 1 + ε are added). */
  thresholds?: readonly number[];
  /** Whether predictions are logits (a sigmoid is applied). */
  fromLogits?: boolean;
}

/**
 * Area under the ROC (or PR) curve, approximated as Keras does: confusion counts at fixed
 * thresholds, then a Riemann sum with interpolated heights (for PR, the Davis & Goadrich
 * interpolation). Labels weigh as positive y·w and negative (1 − y)·w.
 *
 * @example `new nb.keras.metrics.AUC({numThresholds: 200})`
 */
export class AUC extends Metric {
  static override readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly fromLogits: boolean;
  /** The thresholds (float32 values, ascending). */
  readonly thresholds: Float64Array;
  private readonly explicitThresholds: number[] | undefined;
  /** Weighted positive / negative label mass per bucket (bucket b: exactly b thresholds lie below the prediction). */
  private pos: Float64Array;
  private neg: Float64Array;

  constructor(args: AUCArgs = {}) {
    super(args.name ?? 'auc');
    this.curve = args.curve ?? 'ROC';
    this.summationMethod = args.summationMethod ?? 'interpolation';
    this.fromLogits = args.fromLogits ?? false;
    if (this.curve !== 'ROC' && this.curve !== 'PR') throw new InvalidArgumentError(`AUC: curve must be 'ROC' or 'PR', got '${String(this.curve)}'.`);
    if (!['interpolation', 'minoring', 'majoring'].includes(this.summationMethod)) {
      throw new InvalidArgumentError(`AUC: summationMethod must be 'interpolation', 'minoring' or 'majoring', got '${String(this.summationMethod)}'.`);
    }
    const eps = 1e-7;
    let inner: number[];
    if (args.thresholds !== undefined) {
      inner = [...args.thresholds].sort((a, b) => a - b);
      inner.forEach((t) => checkThreshold('AUC', t));
      this.explicitThresholds = [...inner];
    } else {
      const n = args.numThresholds ?? 200;
      if (!(Number.isInteger(n) && n > 1)) throw new InvalidArgumentError(`AUC: numThresholds must be an integer > 1, got ${n}.`);
      inner = [];
      for (let i = 0; i < n - 2; i++) inner.push((i + 1) / (n - 1));
    }
    const all = [0 - eps, ...inner, 1 + eps];
    this.thresholds = Float64Array.from(all, (t) => Math.fround(t));
    this.numThresholds = all.length;
    this.pos = new Float64Array(this.numThresholds + 1);
    this.neg = new Float64Array(this.numThresholds + 1);
  }

  /** Number of thresholds strictly below p. */
  private bucket(p: number): number {
    const thr = this.thresholds;
    let lo = 0;
    let hi = thr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (thr[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const pos = this.pos.slice();
    const neg = this.neg.slice();
    forEachElement(this.name, yTrue, yPred, sampleWeight, undefined, this.fromLogits, (label, pred, w) => {
      const b = this.bucket(pred);
      pos[b] += label * w;
      neg[b] += (1 - label) * w;
    });
    this.pos = pos;
    this.neg = neg;
  }

  /** Confusion counts at each threshold: {tp, fp, tn, fn}, each of length numThresholds. */
  confusion(): { tp: Float64Array; fp: Float64Array; tn: Float64Array; fn: Float64Array } {
    const n = this.numThresholds;
    const tp = new Float64Array(n);
    const fp = new Float64Array(n);
    let totalPos = 0;
    let totalNeg = 0;
    for (let b = 0; b <= n; b++) {
      totalPos += this.pos[b]!;
      totalNeg += this.neg[b]!;
    }
    // tp[j] = positives in buckets b > j (prediction above threshold j).
    let accP = 0;
    let accN = 0;
    for (let j = n - 1; j >= 0; j--) {
      accP += this.pos[j + 1]!;
      accN += this.neg[j + 1]!;
      tp[j] = accP;
      fp[j] = accN;
    }
    const fn = tp.map((x) => totalPos - x);
    const tn = fp.map((x) => totalNeg - x);
    return { tp, fp, tn, fn };
  }

  result(): number {
    const { tp, fp, tn, fn } = this.confusion();
    const n = this.numThresholds;
    const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
      // Davis & Goadrich interpolation, as keras.metrics.AUC.interpolate_pr_auc.
      let auc = 0;
      for (let i = 0; i < n - 1; i++) {
        const dtp = tp[i]! - tp[i + 1]!;
        const p0 = tp[i]! + fp[i]!;
        const p1 = tp[i + 1]! + fp[i + 1]!;
        const dp = p0 - p1;
        const slope = div(dtp, Math.max(dp, 0));
        const intercept = tp[i + 1]! - slope * p1;
        const ratio = p0 > 0 && p1 > 0 ? div(p0, Math.max(p1, 0)) : 1;
        auc += div(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
      }
      return auc;
    }
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const recall = div(tp[i]!, tp[i]! + fn[i]!);
      if (this.curve === 'ROC') {
        x[i] = div(fp[i]!, fp[i]! + tn[i]!);
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = div(tp[i]!, tp[i]! + fp[i]!);
      }
    }
    let auc = 0;
    for (let i = 0; i < n - 1; i++) {
      const a = y[i]!;
      const b = y[i + 1]!;
      const h = this.summationMethod === 'interpolation' ? (a + b) / 2 : this.summationMethod === 'minoring' ? Math.min(a, b) : Math.max(a, b);
      auc += (x[i]! - x[i + 1]!) * h;
    }
    return auc;
  }

  resetState(): void {
    this.pos = new Float64Array(this.numThresholds + 1);
    this.neg = new Float64Array(this.numThresholds + 1);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
      fromLogits: this.fromLogits,
      ...(this.explicitThresholds ? { thresholds: this.explicitThresholds } : {}),
    };
  }
}
