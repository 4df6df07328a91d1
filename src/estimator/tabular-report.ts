// Report plots of estimator evaluations: the confusion matrix and ROC curve (classifiers) and
// predicted vs. actual (regressors), rendered with the same Vega-Lite -> SVG -> PNG path as the
// MNIST report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { RocCurve } from './roc.js';

/** Writes dir/confusion-matrix.png (rows: true class, columns: predicted; named by `classNames` or ids); returns the file name. */
export async function writeConfusionPng(dir: string, truth: readonly number[], predicted: readonly number[], nClasses: number, classNames?: readonly string[], title?: string): Promise<string> {
  const charts = await import('../apps/mnist/charts.js');
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  truth.forEach((t, i) => m[t]![predicted[i]!]!++);
  const names = classNames ? [...classNames] : Array.from({ length: nClasses }, (_, i) => String(i));
  const png = charts.svgToPng(await charts.vegaLiteToSvg(charts.confusionSpec(m, names, ...(title ? [title] : []))));
  writeFileSync(join(dir, 'confusion-matrix.png'), png);
  return 'confusion-matrix.png';
}

/** Writes dir/predicted-vs-actual.png; returns the file name. */
export async function writePredictedVsActualPng(dir: string, actual: readonly number[], predicted: readonly number[], title = 'Predicted vs. actual (test set)'): Promise<string> {
  const charts = await import('../apps/mnist/charts.js');
  const values = actual.map((a, i) => ({ actual: a, predicted: predicted[i]! }));
  const lo = Math.min(...actual, ...predicted);
  const hi = Math.max(...actual, ...predicted);
  const spec: TopLevelSpec = {
    title,
    width: 260,
    height: 260,
    layer: [
      { data: { values: [{ actual: lo, predicted: lo }, { actual: hi, predicted: hi }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'actual', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } } },
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.7 }, encoding: { x: { field: 'actual', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } } },
    ],
  };
  writeFileSync(join(dir, 'predicted-vs-actual.png'), charts.svgToPng(await charts.vegaLiteToSvg(spec)));
  return 'predicted-vs-actual.png';
}

/** Writes dir/roc.png: the ROC curve with the chance diagonal, the AUC in the title; returns the file name. */
export async function writeRocPng(dir: string, curve: RocCurve, setName = 'test set'): Promise<string> {
  const charts = await import('../apps/mnist/charts.js');
  const values = curve.points.map((p, k) => ({ k, fpr: p.fpr, tpr: p.tpr }));
  const axes = {
    x: { field: 'fpr', type: 'quantitative' as const, title: 'false positive rate', scale: { domain: [0, 1] } },
    y: { field: 'tpr', type: 'quantitative' as const, title: 'true positive rate', scale: { domain: [0, 1] } },
  };
  const spec: TopLevelSpec = {
    title: `ROC curve (${setName}), AUC = ${curve.auc.toFixed(4)}`,
    width: 260,
    height: 260,
    layer: [
      { data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: axes },
      { data: { values }, mark: { type: 'line', point: true, interpolate: 'linear' }, encoding: { ...axes, order: { field: 'k', type: 'quantitative' } } },
    ],
  };
  writeFileSync(join(dir, 'roc.png'), charts.svgToPng(await charts.vegaLiteToSvg(spec)));
  return 'roc.png';
}
